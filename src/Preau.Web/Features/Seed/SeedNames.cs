namespace Preau.Web.Features.Seed;

/// <summary>
/// Word lists for demo data, written by hand. Frequent French first names across generations
/// (pupils born around 2012–2015, parents and teachers around 1970–1990) and common surnames,
/// including the diversity of a real collège, so that logins exercise accents, hyphens and
/// apostrophes.
/// </summary>
internal static class SeedNames
{
    public static readonly string[] ChildFirstNames = Split("""
        Gabriel Léo Raphaël Arthur Louis Jules Adam Maël Lucas Hugo Noah Liam Gabin Sacha Paul Nathan Aaron Mohamed
        Ethan Tom Éden Léon Noé Tiago Théo Isaac Marius Victor Martin Mathis Axel Timéo Naël Robin Nino Enzo Antoine
        Valentin Samuel Eliott Malo Baptiste Thomas Clément Maxime Alexandre Rayan Yanis Ibrahim Ilyes Mathéo Youssef
        Amir Kylian Evan Simon Augustin Côme Oscar Marceau Célestin Esteban Matteo Diego Ismaël Ayoub Imran Soan
        Jade Louise Emma Ambre Alice Rose Anna Alba Romy Mia Lina Léa Chloé Julia Agathe Inès Iris Jeanne Léna Mila
        Juliette Zoé Lucie Manon Camille Lou Éva Nina Sarah Margaux Charlotte Clémence Adèle Victoire Capucine Apolline
        Louna Lya Héloïse Gabrielle Mathilde Océane Clara Yasmine Salomé Maëlys Elsa Nour Aya Maryam Assia Lilou
        Eléna Constance Joséphine Pauline Garance Léonie Romane Emy Lola Lana Maya Noémie Célia Anaïs Eloïse Fatoumata
        Aïcha Kenza Imane Lisa Thaïs Luna Hanna Giulia Marie-Lou Anne-Sophie Jean-Baptiste Pierre-Louis
        """);

    public static readonly string[] AdultFirstNames = Split("""
        Nicolas Julien Sébastien Stéphane Christophe David Frédéric Laurent Olivier Jérôme Guillaume Éric Thierry
        Philippe Pascal Franck Cédric Vincent Arnaud Fabrice Patrick Didier Sylvain Jean-Pierre Jean-François Jean-Marc
        Pierre Michel Alain Bruno Emmanuel Mickaël Yannick Benoît Hervé Gilles Xavier Romain Damien Mathieu Anthony
        Karim Mehdi Rachid Samir Nabil Abdel Moussa Mamadou Hakim Farid Karine Sandrine Nathalie Stéphanie Isabelle
        Céline Sophie Valérie Virginie Aurélie Sylvie Véronique Caroline Christine Émilie Delphine Laetitia Julie
        Catherine Hélène Audrey Élodie Anne Marion Séverine Cécile Corinne Florence Mélanie Vanessa Magali Claire
        Laure Agnès Béatrice Estelle Muriel Patricia Nadia Samira Fatima Leïla Malika Yamina Aminata Mariam Sonia
        Myriam Amandine Jennifer Jessica Marie-Claire Anne-Laure Marie-Hélène Ophélie Gaëlle Solène Morgane Armelle
        Gwenaëlle Maëlle Annick Rozenn Yann Loïc Erwan Tanguy Ronan Gaël Kévin Jonathan Mathias Grégory Ludovic
        Rodolphe Raphaëlle Bérénice Coralie Charlène Perrine Blandine Ghislaine Josiane Dominique Claude
        """);

    public static readonly string[] LastNames = Split("""
        Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre Leroy Roux David
        Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefebvre Faure André
        Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin
        Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier
        Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt
        Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois
        Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger
        Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam
        Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly Hervé
        Schneider Fernandez Le_Gall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Le_Roux Cousin Germain
        Breton Besson Langlois Rémy Le_Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon
        Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin
        Chauvin Da_Silva Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier
        Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier Laporte Gomez Ferreira Dos_Santos Pereira Rodrigues
        Nguyen Tran Le Pham Diallo Traoré Diop Ndiaye Camara Cissé Keita Touré Sylla Konaté Coulibaly Benali
        Benchikh Bensaïd Haddad Mansouri Saïdi Amrani Belkacem Boudjema Chérif Hamidi Kaci Meziane Zerrouki Yilmaz
        Demir Kaya Öztürk Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Costa Santos Oliveira Silva
        Kowalski Nowak Wiśniewski Le_Bihan Le_Floch Kerjean Le_Corre Tanguy Guillou Quéméner Le_Berre Morvan Jaouen
        Etcheverry Irigoyen Harriague Dubosc Lacoste Larrieu Cazenave Pujol Puig Sabatier Castel Bourdieu Lafitte
        N'Diaye D'Almeida D'Amico De_Oliveira Saint-Martin Sainte-Marie Delacroix Desmarais Dumoulin Lavigne Lebon
        """);

    /// <summary>Towns with their département code (the first three digits of a UAI).</summary>
    public static readonly (string Town, string Department)[] Towns =
    [
        ("Angers", "049"), ("Cholet", "049"), ("Saumur", "049"), ("Nantes", "044"), ("Saint-Nazaire", "044"),
        ("Rezé", "044"), ("Le Mans", "072"), ("La Flèche", "072"), ("Laval", "053"), ("Mayenne", "053"),
        ("La Roche-sur-Yon", "085"), ("Les Sables-d'Olonne", "085"), ("Challans", "085"), ("Rennes", "035"),
        ("Saint-Malo", "035"), ("Fougères", "035"), ("Vitré", "035"), ("Brest", "029"), ("Quimper", "029"),
        ("Morlaix", "029"), ("Lorient", "056"), ("Vannes", "056"), ("Pontivy", "056"), ("Saint-Brieuc", "022"),
        ("Lannion", "022"), ("Dinan", "022"), ("Tours", "037"), ("Amboise", "037"), ("Orléans", "045"),
        ("Montargis", "045"), ("Blois", "041"), ("Vendôme", "041"), ("Chartres", "028"), ("Dreux", "028"),
        ("Bourges", "018"), ("Vierzon", "018"), ("Châteauroux", "036"), ("Issoudun", "036"), ("Poitiers", "086"),
        ("Châtellerault", "086"), ("Niort", "079"), ("Bressuire", "079"), ("La Rochelle", "017"), ("Rochefort", "017"),
        ("Saintes", "017"), ("Angoulême", "016"), ("Cognac", "016"), ("Limoges", "087"), ("Brive-la-Gaillarde", "019"),
        ("Tulle", "019"), ("Guéret", "023"), ("Périgueux", "024"), ("Bergerac", "024"), ("Agen", "047"),
        ("Villeneuve-sur-Lot", "047"), ("Mont-de-Marsan", "040"), ("Dax", "040"), ("Pau", "064"), ("Bayonne", "064"),
        ("Biarritz", "064"), ("Oloron-Sainte-Marie", "064"), ("Tarbes", "065"), ("Lourdes", "065"), ("Auch", "032"),
    ];

    /// <summary>Names collèges are commonly given.</summary>
    public static readonly string[] SchoolNames = Split2("""
        Jean Moulin|Victor Hugo|Jules Ferry|Jean Jaurès|Louis Pasteur|Marie Curie|Albert Camus|Jacques Prévert|
        Jean de La Fontaine|Simone Veil|Paul Éluard|Jules Verne|Antoine de Saint-Exupéry|Georges Brassens|Anne Frank|
        Pierre et Marie Curie|Jean Rostand|Léonard de Vinci|Joliot-Curie|Paul Langevin|Louise Michel|Lucie Aubrac|
        Olympe de Gouges|George Sand|Colette|Émile Zola|Molière|Voltaire|Condorcet|Gustave Eiffel|Henri Wallon|
        Romain Rolland|Aimé Césaire|Germaine Tillion|Rosa Parks|Nelson Mandela|Camille Claudel|Joséphine Baker|
        Marcel Pagnol|Alexandre Dumas|Charles de Gaulle|Jean Monnet|Robert Schuman|Claude Debussy|Hector Berlioz|
        Les Tilleuls|Le Bocage|La Fontaine des Eaux|Les Sablons|Val de Loire|Les Châtaigniers|La Vallée|Le Vieux Port
        """);

    // Compound surnames are written with '_' in the lists above ("Le_Gall") and read with a space.
    private static string[] Split(string text) =>
        text.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.Replace('_', ' ')).Distinct(StringComparer.Ordinal).ToArray();

    private static string[] Split2(string text) =>
        text.Split(['|', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray();
}
