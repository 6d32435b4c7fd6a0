#!/usr/bin/env python3
"""Writes SIECLE élèves + responsables and STS-web exports (ISO-8859-15) for one synthetic school of N pupils,
for the import benchmark: python3 bench/import-samples.py UAI PUPILS OUTDIR"""
import random, sys, os

uai, pupils, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
rng = random.Random(42)
last = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEFÈVRE", "MOREAU", "GARÇON", "CŒUR",
        "N'DIAYE", "FRANÇOIS", "MERCIER", "BŒUF", "LEROY", "ROUX", "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE"]
first = ["Zoé", "Léa", "Chloé", "Inès", "Anaïs", "Maëlle", "Noémie", "Hélène", "Lucas", "Léo", "Noé", "Jérôme", "François", "Gaël",
         "Héloïse", "Benoît", "Cécile", "Éloïse", "Raphaël", "Joël", "Aminata", "Moussa", "Yanis", "Océane"]
levels = "6543"
per_class = 28
classes = [f"{levels[i % 4]}{chr(65 + i // 4)}" if i // 4 < 26 else f"{levels[i % 4]}{i // 4}" for i in range((pupils + per_class - 1) // per_class)]

def write(name, text):
    with open(os.path.join(out, name), "wb") as f:
        f.write(text.encode("iso8859_15"))

rows, structs, persons, links = [], [], [], []
for i in range(pupils):
    pid = 100000 + i
    cls = classes[i // per_class]
    ine = f"{pid:09d}{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}" if i % 50 else ""
    rows.append(f'<ELEVE ELEVE_ID="{pid}"><ID_NATIONAL>{ine}</ID_NATIONAL><NOM_DE_FAMILLE>{rng.choice(last)}</NOM_DE_FAMILLE>'
                f'<PRENOM>{rng.choice(first)}</PRENOM><DATE_NAISS>{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{2010 + int(cls[0]) - 3}</DATE_NAISS></ELEVE>')
    groups = f'<STRUCTURE><CODE_STRUCTURE>LAT{cls[0]}</CODE_STRUCTURE><TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE>' if i % 7 == 0 else ""
    structs.append(f'<STRUCTURES_ELEVE ELEVE_ID="{pid}"><STRUCTURE><CODE_STRUCTURE>{cls}</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>{groups}</STRUCTURES_ELEVE>')
    for k in range(2 if i % 4 else 1):
        rid = 500000 + 2 * i + k
        persons.append(f'<PERSONNE PERSONNE_ID="{rid}"><NOM_DE_FAMILLE>{rng.choice(last)}</NOM_DE_FAMILLE><PRENOM>{rng.choice(first)}</PRENOM></PERSONNE>')
        links.append(f'<RESPONSABLE_ELEVE><ELEVE_ID>{pid}</ELEVE_ID><PERSONNE_ID>{rid}</PERSONNE_ID><RESP_LEGAL>{k + 1}</RESP_LEGAL></RESPONSABLE_ELEVE>')

head = '<?xml version="1.0" encoding="ISO-8859-15"?>\n'
write("eleves.xml", head + f'<BEE_ELEVES VERSION="3.1"><PARAMETRES><UAJ>{uai}</UAJ></PARAMETRES><DONNEES><ELEVES>\n' + "\n".join(rows)
      + '\n</ELEVES><STRUCTURES>\n' + "\n".join(structs) + '\n</STRUCTURES></DONNEES></BEE_ELEVES>\n')
write("responsables.xml", head + f'<BEE_RESPONSABLES VERSION="1.7"><PARAMETRES><UAJ>{uai}</UAJ></PARAMETRES><DONNEES><PERSONNES>\n'
      + "\n".join(persons) + '\n</PERSONNES><RESPONSABLES>\n' + "\n".join(links) + '\n</RESPONSABLES></DONNEES></BEE_RESPONSABLES>\n')

subjects = [("061300", "MATHS", "Mathématiques"), ("020100", "FRANC", "Français"), ("040600", "HI-GE", "Histoire-Géographie"),
            ("030201", "AGL1", "Anglais LV1"), ("022400", "LATIN", "Latin")]
teachers = max(6, len(classes) * 4 // 5)
individus = [f'<INDIVIDU ID="{t}" TYPE="epp"><NOM_USAGE>{rng.choice(last)}</NOM_USAGE><PRENOM>{rng.choice(first)}</PRENOM><FONCTION>ENS</FONCTION></INDIVIDU>'
             for t in range(1, teachers + 1)]
individus.append('<INDIVIDU ID="9001" TYPE="epp"><NOM_USAGE>PRINCIPAL</NOM_USAGE><PRENOM>Hélène</PRENOM><FONCTION>DIR</FONCTION></INDIVIDU>')
individus.append('<INDIVIDU ID="9002" TYPE="epp"><NOM_USAGE>CPE</NOM_USAGE><PRENOM>Joël</PRENOM><FONCTION>EDU</FONCTION></INDIVIDU>')
def services(index, codes):
    return "".join(f'<SERVICE CODE_MATIERE="{code}"><ENSEIGNANTS><ENSEIGNANT ID="{(index * 5 + j) % teachers + 1}"/></ENSEIGNANTS></SERVICE>'
                   for j, code in enumerate(codes))
divisions = "".join(f'<DIVISION CODE="{c}"><SERVICES>{services(i, [s[0] for s in subjects[:4]])}</SERVICES></DIVISION>' for i, c in enumerate(classes))
groupes = "".join(f'<GROUPE CODE="LAT{l}"><SERVICES>{services(i, ["022400"])}</SERVICES></GROUPE>' for i, l in enumerate(levels))
matieres = "".join(f'<MATIERE CODE="{c}"><CODE_GESTION>{g}</CODE_GESTION><LIBELLE_EDITION>{n}</LIBELLE_EDITION></MATIERE>' for c, g, n in subjects)
write("sts.xml", head + f'<STS_EDT><PARAMETRES><UAJ CODE="{uai}"/></PARAMETRES><DONNEES><NOMENCLATURES><MATIERES>{matieres}</MATIERES></NOMENCLATURES>'
      f'<INDIVIDUS>\n' + "\n".join(individus) + f'\n</INDIVIDUS><STRUCTURE><DIVISIONS>{divisions}</DIVISIONS><GROUPES>{groupes}</GROUPES></STRUCTURE></DONNEES></STS_EDT>\n')
print(f"{pupils} élèves, {len(persons)} responsables, {teachers + 2} personnels, {len(classes)} classes → {out}")
