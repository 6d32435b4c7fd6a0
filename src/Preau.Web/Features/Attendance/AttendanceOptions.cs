using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Attendance;

/// <summary>Section <c>Attendance</c>.</summary>
internal sealed class AttendanceOptions
{
    public const string Section = "Attendance";

    /// <summary>Justification documents (a doctor's note, a photo of it): size limit and types, section <c>Attendance:Documents</c>.</summary>
    public FileRules Documents { get; set; } = new() { MaxBytes = 5 * 1024 * 1024, Extensions = ".pdf .png .jpg .jpeg" };

}
