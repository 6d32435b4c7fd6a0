using CsvHelper;

namespace Preau.Web.Shared.Csv;

/// <summary>
/// The one CSV dialect of Préau, for files people open in a French spreadsheet: written with a <c>;</c>
/// separator and a UTF-8 byte order mark (so accents and columns come out right in Excel and LibreOffice),
/// and every text value that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
/// prefixed with <c>'</c>. Reading detects the separator, so files saved with <c>,</c> are accepted too,
/// and takes the <c>'</c> back off. The surge simulator compiles this file too.
/// </summary>
internal static class SpreadsheetCsv
{
    // CsvHelper's default injection characters and escape (OWASP's list), which Restore undoes.
    private const char NeutraliseMark = '\'';

    private static readonly char[] s_formulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static CsvWriterOptions WriterOptions { get; } = CsvWriterOptions.Default with
    {
        Separator = ';',
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
    };

    /// <summary>Separator detected (<c>;</c> or <c>,</c>), header expected, broken quoting refused with its line number.</summary>
    public static CsvReaderOptions ReaderOptions { get; } = CsvReaderOptions.Default with
    {
        HasHeader = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
    };

    public static CsvWriter CreateWriter(Stream stream) => CsvWriter.Create(stream, WriterOptions, leaveOpen: true);

    public static CsvReader CreateReader(TextReader reader) => CsvReader.Create(reader, ReaderOptions, leaveOpen: true);

    /// <summary>A value as it was before <see cref="WriterOptions"/> neutralised it for spreadsheets.</summary>
    public static string Restore(string value) =>
        value.Length > 1 && value[0] == NeutraliseMark && Array.IndexOf(s_formulaStarts, value[1]) >= 0 ? value[1..] : value;
}
