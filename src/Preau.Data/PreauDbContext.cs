using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Preau.Data.Accounts;
using Preau.Data.Apps;
using Preau.Data.Assessment;
using Preau.Data.Attendance;
using Preau.Data.Directory;
using Preau.Data.Messaging;
using Preau.Data.News;
using Preau.Data.Timeline;
using Preau.Data.Homework;
using Preau.Data.Import;
using Preau.Data.Timetable;

namespace Preau.Data;

/// <summary>The one database of a Préau deployment (SQLite file or PostgreSQL).</summary>
public sealed class PreauDbContext(DbContextOptions<PreauDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<Subject> Subjects => Set<Subject>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<GroupMembership> GroupMemberships => Set<GroupMembership>();
    public DbSet<TeachingAssignment> TeachingAssignments => Set<TeachingAssignment>();
    public DbSet<GuardianLink> GuardianLinks => Set<GuardianLink>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<RememberedDevice> RememberedDevices => Set<RememberedDevice>();
    public DbSet<ServerSession> ServerSessions => Set<ServerSession>();
    public DbSet<ExternalIdentity> ExternalIdentities => Set<ExternalIdentity>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<MailboxEntry> MailboxEntries => Set<MailboxEntry>();
    public DbSet<MessageDraft> MessageDrafts => Set<MessageDraft>();
    public DbSet<MessageAttachment> MessageAttachments => Set<MessageAttachment>();
    public DbSet<SchoolCommunicationRules> CommunicationRules => Set<SchoolCommunicationRules>();
    public DbSet<NewsItem> News => Set<NewsItem>();
    public DbSet<NewsAudience> NewsAudiences => Set<NewsAudience>();
    public DbSet<NewsReceipt> NewsReceipts => Set<NewsReceipt>();
    public DbSet<TimelineEntry> TimelineEntries => Set<TimelineEntry>();
    public DbSet<TimelineWatermark> TimelineWatermarks => Set<TimelineWatermark>();
    public DbSet<HomeworkEntry> HomeworkEntries => Set<HomeworkEntry>();
    public DbSet<HomeworkAttachment> HomeworkAttachments => Set<HomeworkAttachment>();
    public DbSet<HomeworkDone> HomeworkDone => Set<HomeworkDone>();
    public DbSet<WorkSubmission> WorkSubmissions => Set<WorkSubmission>();
    public DbSet<WorkFile> WorkFiles => Set<WorkFile>();
    public DbSet<TimetableLesson> TimetableLessons => Set<TimetableLesson>();
    public DbSet<TimetableChange> TimetableChanges => Set<TimetableChange>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<ImportedPerson> ImportedPeople => Set<ImportedPerson>();
    public DbSet<ActivationReset> ActivationResets => Set<ActivationReset>();
    /// <summary>The key ring every node of a region reads (PostgreSQL); encrypted with the configured certificate.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<SchoolTerm> SchoolTerms => Set<SchoolTerm>();
    public DbSet<AssessmentEntry> Assessments => Set<AssessmentEntry>();
    public DbSet<AssessmentSkill> AssessmentSkills => Set<AssessmentSkill>();
    public DbSet<AssessmentResult> AssessmentResults => Set<AssessmentResult>();
    public DbSet<AttendanceRegister> AttendanceRegisters => Set<AttendanceRegister>();
    public DbSet<AttendanceMark> AttendanceMarks => Set<AttendanceMark>();
    public DbSet<ConnectedApp> ConnectedApps => Set<ConnectedApp>();
    public DbSet<AppSignIn> AppSignIns => Set<AppSignIn>();
    public DbSet<AppSubject> AppSubjects => Set<AppSubject>();
    public DbSet<SsoKey> SsoKeys => Set<SsoKey>();
    public DbSet<CasTicket> CasTickets => Set<CasTicket>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PreauDbContext).Assembly);
        // OpenID Connect clients, authorizations and tokens (OpenIddict's own entities, string keys)
        modelBuilder.UseOpenIddict();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native offset-aware timestamp: store UTC ticks so that ordering and
        // comparisons stay correct and translatable. PostgreSQL uses timestamptz as is.
        if (Database.ProviderName == SqliteProvider)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
