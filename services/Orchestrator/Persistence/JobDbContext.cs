using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflow.Orchestrator.StateMachines;

namespace Workflow.Orchestrator.Persistence;

/// <summary>The Orchestrator's schema: the job saga table <c>workflow.jobs</c> and the saga's outbox.</summary>
public sealed class JobDbContext(DbContextOptions<JobDbContext> options) : DbContext(options)
{
    public const string Schema = "workflow";

    /// <summary>How the JSON columns are written; <see cref="JobRows"/> reads and writes the saga's row with the same.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public DbSet<JobState> Jobs => Set<JobState>();
    public DbSet<ConsumptionPauseRecord> ConsumptionPauses => Set<ConsumptionPauseRecord>();
    public DbSet<ScheduleRecord> Schedules => Set<ScheduleRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        var schedule = modelBuilder.Entity<ScheduleRecord>();
        schedule.ToTable("schedules");
        schedule.HasKey(x => x.Id);
        schedule.Property(x => x.Id).ValueGeneratedNever();
        schedule.Property(x => x.Owner).HasMaxLength(200);
        schedule.Property(x => x.Name).HasMaxLength(200);
        schedule.Property(x => x.Cron).HasMaxLength(200);
        schedule.Property(x => x.TimeZone).HasMaxLength(100);
        schedule.Property(x => x.Overlap).HasMaxLength(16);
        schedule.Property(x => x.Misfire).HasMaxLength(16);
        JsonColumn(schedule.Property(x => x.Template));
        schedule.HasIndex(x => new { x.Owner, x.CreatedAt });
        schedule.HasIndex(x => x.LastJobId);
        SnakeCaseColumns(schedule);

        var outbox = modelBuilder.Entity<OutboxMessage>();
        outbox.ToTable("outbox_messages");
        outbox.HasKey(x => x.SequenceNumber);
        outbox.Property(x => x.SequenceNumber).UseIdentityAlwaysColumn();
        outbox.Property(x => x.ContentType).HasMaxLength(256);
        outbox.Property(x => x.HeadersJson).HasColumnType("jsonb");
        outbox.Property(x => x.PropertiesJson).HasColumnType("jsonb");
        outbox.HasIndex(x => x.CreatedAt);
        SnakeCaseColumns(outbox);

        var pause = modelBuilder.Entity<ConsumptionPauseRecord>();
        pause.ToTable("consumption_pauses");
        pause.HasKey(x => new { x.Queue, x.JobType });
        pause.Property(x => x.Queue).HasColumnName("queue").HasMaxLength(64);
        pause.Property(x => x.JobType).HasColumnName("job_type").HasMaxLength(64);
        pause.Property(x => x.PausedAt).HasColumnName("paused_at");
        pause.Property(x => x.PausedBy).HasColumnName("paused_by").HasMaxLength(200);

        var job = modelBuilder.Entity<JobState>();
        job.ToTable("jobs");
        job.HasKey(x => x.CorrelationId);
        job.Property(x => x.CorrelationId).HasColumnName("id").ValueGeneratedNever();
        job.Property(x => x.Version).IsConcurrencyToken();
        job.Property(x => x.CurrentState).HasMaxLength(32);
        job.Property(x => x.Type).HasMaxLength(64);
        job.Property(x => x.Priority).HasMaxLength(16);
        job.Property(x => x.Owner).HasMaxLength(200);
        job.Property(x => x.CallbackUrl).HasMaxLength(2000);
        job.Property(x => x.UniqueKey).HasMaxLength(200);

        JsonColumn(job.Property(x => x.Input));
        JsonColumn(job.Property(x => x.Combinations));
        JsonColumn(job.Property(x => x.Score));
        JsonColumn(job.Property(x => x.Prompts));
        JsonColumn(job.Property(x => x.Images));
        JsonColumn(job.Property(x => x.Statistics));
        JsonColumn(job.Property(x => x.Errors));
        JsonColumn(job.Property(x => x.History));
        JsonColumn(job.Property(x => x.BatchItems));
        JsonColumn(job.Property(x => x.Dependencies));
        JsonColumn(job.Property(x => x.Watchers));
        JsonColumn(job.Property(x => x.Usage));

        // A saga message rewrites its job's row. No index covers a column that changes while the job runs (its state,
        // its timers), so those updates are heap-only (HOT): PostgreSQL writes the new row version beside the old one
        // on the same page and touches no index. The free half of each page is that room.
        job.HasStorageParameter("fillfactor", 50);
        // The Gateway's queries: a user's jobs newest first, and filters by type and time (a state filter reads these too).
        job.HasIndex(x => new { x.Owner, x.CreatedAt });
        job.HasIndex(x => x.CreatedAt);
        job.HasIndex(x => new { x.Owner, x.UniqueKey, x.CreatedAt }).HasFilter("unique_key IS NOT NULL");
        // The unfinished jobs (every final state sets completed_at): an owner's active-job quota, and the timeout
        // sweep, which reads the timers of these rows. A job enters it once and leaves it once.
        job.HasIndex(x => new { x.Owner, x.CreatedAt }, "IX_jobs_unfinished_owner_created_at").HasFilter("completed_at IS NULL");

        SnakeCaseColumns(job);
    }

    static void JsonColumn<T>(PropertyBuilder<T> property)
    {
        // The repository writes every column of a saga it updates, so change tracking needs no deep
        // comparison or snapshot of these documents: identity is enough, and serializing stays once per save.
        property.HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, JsonOptions),
            s => JsonSerializer.Deserialize<T>(s, JsonOptions)!,
            new ValueComparer<T>(
                (a, b) => ReferenceEquals(a, b),
                v => v == null ? 0 : RuntimeHelpers.GetHashCode(v),
                v => v));
    }

    /// <summary>Names every column of <paramref name="entity"/> not named explicitly after its property, in snake case.</summary>
    static void SnakeCaseColumns(EntityTypeBuilder entity)
    {
        foreach (var property in entity.Metadata.GetProperties().Where(p => p.FindAnnotation(RelationalAnnotationNames.ColumnName) is null))
        {
            property.SetColumnName(SnakeCase(property.Name));
        }
    }

    static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
