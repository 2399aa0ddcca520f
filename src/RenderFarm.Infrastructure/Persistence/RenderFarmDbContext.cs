using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using RenderFarm.Contracts;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Schedules;
using RenderFarm.Core.Studios;
using RenderFarm.Core.Webhooks;
using RenderFarm.Core.Workers;

namespace RenderFarm.Infrastructure.Persistence;

public sealed class RenderFarmDbContext(DbContextOptions<RenderFarmDbContext> options, StudioScope? scope = null) : DbContext(options), IDataProtectionKeyContext
{
    private readonly StudioScope _scope = scope ?? new StudioScope();

    public DbSet<RenderJob> Jobs => Set<RenderJob>();
    public DbSet<JobImage> Images => Set<JobImage>();
    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<Studio> Studios => Set<Studio>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>The coordinators' shared cookie-protection keys: a session signed in on one replica is valid on all.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    // Read by the query filters on every query (EF parameterises members of the context), so one context per
    // request sees only its caller's studio.
    private bool StudioRestricted => _scope.IsRestricted;

    private Guid VisibleStudioId => _scope.StudioId;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type: stored as ticks, times still compare and sort correctly in SQL.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RenderJob>(job =>
        {
            job.ToTable("jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.Status).HasConversion<string>().HasMaxLength(32);
            job.Property(j => j.Priority).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.Model).HasMaxLength(64);
            job.Property(j => j.Format).HasMaxLength(8);
            job.Property(j => j.Noise).HasMaxLength(16);
            job.Property(j => j.WebhookUrl).HasMaxLength(2000);
            job.Property(j => j.WebhookSecret).HasMaxLength(2000);
            job.Property(j => j.TraceParent).HasMaxLength(64);
            job.HasIndex(j => new { j.Status, j.CreatedAt });
            // One job per firing even if the scheduler ever ran a firing twice (recovery after a crash mid-firing).
            job.HasIndex(j => new { j.ScheduleId, j.ScheduledFor }).IsUnique();
            job.HasMany(j => j.Images).WithOne().HasForeignKey(i => i.JobId).OnDelete(DeleteBehavior.Cascade);
            job.HasOne<Studio>().WithMany().HasForeignKey(j => j.StudioId).OnDelete(DeleteBehavior.Restrict);
            job.HasIndex(j => new { j.StudioId, j.Status });
            job.HasQueryFilter(j => !StudioRestricted || j.StudioId == VisibleStudioId);
        });

        modelBuilder.Entity<JobImage>(image =>
        {
            image.ToTable("images");
            image.HasKey(i => i.Id);
            image.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
            image.Property(i => i.ObjectKey).HasMaxLength(256);
            image.Property(i => i.ContentType).HasMaxLength(32);
            image.Property(i => i.WorkerId).HasMaxLength(128);
            image.Property(i => i.Device).HasMaxLength(128);
            image.HasIndex(i => new { i.JobId, i.Index }).IsUnique();
            // The open images only: a job's next pending images in order (the dispatcher's lock), its images in flight
            // and whether it has any left are short reads of this small index whatever the size of the job. Partial, so
            // the planner takes it even for a job newer than its statistics (which then look like one row a job).
            image.HasIndex(i => new { i.JobId, i.Status, i.Index }).HasFilter("\"Status\" IN ('Pending', 'Dispatched')");
            // Every image row is updated twice on its way (dispatched, then finished) and its status is indexed, so no
            // update is HOT: vacuum often, or index scans wade through dead entries and the visibility map stays unset.
            image.HasStorageParameter("autovacuum_vacuum_scale_factor", 0.02);
            image.HasStorageParameter("autovacuum_analyze_scale_factor", 0.02);
            // The gallery, the farm's throughput figures and retention all read images by finishing time.
            image.HasIndex(i => i.FinishedAt);
            // The stuck-image reaper looks for long-dispatched images across all jobs. Partial, as is the render keys'
            // index: a row enters it at one of its three writes rather than at each (no update of an image is HOT).
            image.HasIndex(i => i.DispatchedAt).HasFilter("\"Status\" = 'Dispatched'");
            image.HasIndex(i => new { i.StudioId, i.FinishedAt });
            image.Property(i => i.RenderKey).HasMaxLength(64);
            // Reuse looks up a job's keys among the studio's rendered originals (a reused image is no new source, so a
            // job submitted daily costs a lookup per key, not per earlier day); retention asks whether another image
            // shares an object.
            image.HasIndex(i => new { i.StudioId, i.RenderKey }).HasFilter("\"Status\" = 'Rendered' AND NOT \"Reused\"");
            image.HasIndex(i => i.ObjectKey);
            image.HasQueryFilter(i => !StudioRestricted || i.StudioId == VisibleStudioId);
        });

        modelBuilder.Entity<WorkerRecord>(worker =>
        {
            worker.ToTable("workers");
            worker.HasKey(w => w.Id);
            worker.Property(w => w.Id).HasMaxLength(128);
            worker.Property(w => w.Host).HasMaxLength(256);
            worker.Property(w => w.Device).HasMaxLength(128);
            worker.Property(w => w.DeviceClass).HasMaxLength(32);
            worker.Property(w => w.State).HasMaxLength(16).HasDefaultValue(WorkerStates.Active);
            worker.Property(w => w.StateReason).HasMaxLength(500);
            // The catalog reads the advertisements whole, for every recent worker at once.
            worker.Property(w => w.Catalog).HasConversion(Json<List<ModelAdvertisement>>(), JsonComparer<List<ModelAdvertisement>>());
        });

        modelBuilder.Entity<Schedule>(schedule =>
        {
            schedule.ToTable("schedules");
            schedule.HasKey(s => s.Id);
            schedule.Property(s => s.Name).HasMaxLength(200);
            schedule.Property(s => s.Cron).HasMaxLength(200);
            schedule.Property(s => s.TimeZone).HasMaxLength(64);
            // Shapes only the API reads and writes whole: JSON text keeps them provider-neutral (SQLite too).
            schedule.Property(s => s.Lists).HasConversion(Json<Dictionary<string, List<string>>>(), JsonComparer<Dictionary<string, List<string>>>());
            schedule.Property(s => s.JobTemplate).HasConversion(Json<JobRequest>(), JsonComparer<JobRequest>());
            schedule.HasIndex(s => s.Name);
            schedule.HasOne<Studio>().WithMany().HasForeignKey(s => s.StudioId).OnDelete(DeleteBehavior.Restrict);
            schedule.HasQueryFilter(s => !StudioRestricted || s.StudioId == VisibleStudioId);
        });

        modelBuilder.Entity<Studio>(studio =>
        {
            studio.ToTable("studios");
            studio.HasKey(s => s.Id);
            studio.Property(s => s.Name).HasMaxLength(64);
            studio.HasIndex(s => s.Name).IsUnique();
        });

        modelBuilder.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Role).HasConversion<string>().HasMaxLength(16);
            key.Property(k => k.Name).HasMaxLength(128);
            key.Property(k => k.Prefix).HasMaxLength(16);
            key.Property(k => k.Hash).HasMaxLength(32);
            key.HasIndex(k => k.Hash).IsUnique();
            key.HasIndex(k => k.StudioId);
            key.HasOne<Studio>().WithMany().HasForeignKey(k => k.StudioId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.ToTable("webhook_deliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Event).HasMaxLength(64);
            delivery.Property(d => d.Url).HasMaxLength(2000);
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            delivery.Property(d => d.LastError).HasMaxLength(2000);
            delivery.HasIndex(d => d.JobId);
            // The sender's query: what is due.
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
            delivery.HasOne<RenderJob>().WithMany().HasForeignKey(d => d.JobId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasQueryFilter(d => !StudioRestricted || d.StudioId == VisibleStudioId);
        });

        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("audit_log");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Actor).HasMaxLength(128);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.Target).HasMaxLength(200);
            entry.Property(e => e.Detail).HasMaxLength(2000);
            entry.HasIndex(e => new { e.StudioId, e.At });
            entry.HasIndex(e => e.At);
        });
    }

    private static ValueConverter<T, string> Json<T>()
        where T : new() =>
        new(value => JsonSerializer.Serialize(value, JsonSerializerOptions.Web), json => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web) ?? new T());

    private static ValueComparer<T> JsonComparer<T>() =>
        new(
            (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
            value => JsonSerializer.Serialize(value, JsonSerializerOptions.Web).GetHashCode(StringComparison.Ordinal),
            value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!);
}
