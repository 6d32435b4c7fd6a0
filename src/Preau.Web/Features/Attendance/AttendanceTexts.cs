using Preau.Data.Attendance;

namespace Preau.Web.Features.Attendance;

/// <summary>What people read about an absence: statuses, reasons and decisions in French, and the
/// codes the API uses for them.</summary>
internal static class AttendanceTexts
{
    public static readonly IReadOnlyList<(AbsenceReason Reason, string Code, string Label)> Reasons =
    [
        (AbsenceReason.Illness, "illness", "Maladie"),
        (AbsenceReason.Medical, "medical", "Rendez-vous médical"),
        (AbsenceReason.Family, "family", "Raison familiale"),
        (AbsenceReason.Transport, "transport", "Problème de transport"),
        (AbsenceReason.Other, "other", "Autre motif"),
    ];

    public static string Status(AttendanceStatus status) => status == AttendanceStatus.Absent ? "Absent(e)" : "En retard";

    public static string StatusCode(AttendanceStatus status) => status == AttendanceStatus.Absent ? "absent" : "late";

    public static AttendanceStatus? ParseStatus(string? code) => code switch
    {
        "absent" => AttendanceStatus.Absent,
        "late" => AttendanceStatus.Late,
        _ => null,
    };

    public static string ReasonLabel(AbsenceReason? reason) => Reasons.FirstOrDefault(r => r.Reason == reason).Label ?? "";

    public static string? ReasonCode(AbsenceReason? reason) => reason is null ? null : Reasons.First(r => r.Reason == reason).Code;

    public static AbsenceReason? ParseReason(string? code) =>
        Reasons.Where(r => r.Code == code).Select(r => (AbsenceReason?)r.Reason).FirstOrDefault();

    public static string Decision(JustificationDecision? decision) => decision switch
    {
        JustificationDecision.Pending => "Justificatif envoyé, en attente",
        JustificationDecision.Accepted => "Justifiée",
        JustificationDecision.Refused => "Justificatif refusé",
        _ => "Non justifiée",
    };

    public static string? DecisionCode(JustificationDecision? decision) => decision switch
    {
        JustificationDecision.Pending => "pending",
        JustificationDecision.Accepted => "accepted",
        JustificationDecision.Refused => "refused",
        _ => null,
    };
}
