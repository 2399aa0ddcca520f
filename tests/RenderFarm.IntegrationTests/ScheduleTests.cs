using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Schedules firing on real PostgreSQL through Quartz's clustered AdoJobStore.</summary>
public sealed class ScheduleTests
{
    private static readonly Dictionary<string, string?> FastCluster = new()
    {
        ["Scheduling:ClusterCheckinInterval"] = "00:00:01",
    };

    [Fact]
    public async Task A_schedule_every_two_seconds_submits_jobs_whose_prompts_are_the_expected_expansions()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [], FastCluster);

        var schedule = await farm.CreateScheduleAsync(new
        {
            name = "kathmandu watercolors",
            cron = "0/2 * * * * ?",
            timeZone = "Asia/Kathmandu",
            promptTemplates = new List<string> { "a watercolor at {date:HH:mm:ss} on {date:dddd} in {season}, no. {counter}", "a {red|green} door in {city}" },
            lists = new Dictionary<string, string[]> { ["city"] = ["Berlin", "Kyoto"] },
            job = new { count = 2, steps = 1 },
        });
        Assert.NotNull(schedule.NextFireAt);

        var jobs = await farm.WaitForScheduledJobsAsync(schedule.Id, 3, TimeSpan.FromSeconds(30));

        // Kathmandu is UTC+05:45 all year: local times are computed here with plain offsets, not with the farm's code.
        var kathmandu = TimeSpan.FromMinutes((5 * 60) + 45);
        for (var n = 0; n < jobs.Count; n++)
        {
            var scheduledFor = jobs[n].ScheduledFor!.Value;
            Assert.Equal(0, scheduledFor.Second % 2);
            Assert.Equal(0, scheduledFor.Millisecond);
            var local = scheduledFor.ToOffset(kathmandu);
            var season = local.Month switch { 12 or 1 or 2 => "winter", 3 or 4 or 5 => "spring", 6 or 7 or 8 => "summer", _ => "autumn" };

            var images = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{jobs[n].Id:D}/images"))!;
            Assert.Equal(4, images.Count);
            var expected = $"a watercolor at {local:HH':'mm':'ss} on {local.DayOfWeek} in {season}, no. {n + 1}";
            Assert.Equal([expected, expected], images.Take(2).Select(i => i.Prompt));
            var door = images[2].Prompt;
            Assert.Contains(door, new List<string> { "a red door in Berlin", "a red door in Kyoto", "a green door in Berlin", "a green door in Kyoto" });
            Assert.Equal(door, images[3].Prompt);
        }

        var current = (await farm.Api.GetFromJsonAsync<ScheduleView>($"/api/schedules/{schedule.Id:D}"))!;
        Assert.True(current.Firings >= jobs.Count);
        Assert.NotNull(current.LastFiredAt);
    }

    [Fact]
    public async Task Two_coordinators_sharing_one_database_fire_each_occurrence_exactly_once()
    {
        var model = TestFarm.NewModelName();
        var counter = new FiringCounter();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 2, [], FastCluster,
            services => services.AddSingleton<IJobListener>(counter));

        var schedule = await farm.CreateScheduleAsync(new { name = "twice a replica", cron = "0/2 * * * * ?", promptTemplates = new List<string> { "a fox at {time:HH:mm:ss}" } });
        await farm.WaitForScheduledJobsAsync(schedule.Id, 6, TimeSpan.FromSeconds(40));

        await using var db = farm.CreateDbContext();
        var perFiring = await db.Jobs.Where(j => j.ScheduleId == schedule.Id)
            .GroupBy(j => j.ScheduledFor)
            .Select(g => new { ScheduledFor = g.Key, Jobs = g.Count() })
            .ToListAsync();
        Assert.True(perFiring.Count >= 6);
        Assert.All(perFiring, f => Assert.Equal(1, f.Jobs));

        // What Quartz itself did: every occurrence ran once across both replicas, and both replicas are in one cluster.
        Assert.All(counter.ByScheduledTime, f => Assert.Equal(1, f.Value));
        var instances = await db.Database.SqlQuery<string>($"SELECT instance_name AS \"Value\" FROM qrtz_scheduler_state").ToListAsync();
        Assert.Equal(2, instances.Count);
    }

    [Fact]
    public async Task Occurrences_missed_while_no_coordinator_ran_fire_once_when_one_comes_back()
    {
        var model = TestFarm.NewModelName();
        var settings = new Dictionary<string, string?>(FastCluster) { ["Scheduling:MisfireThreshold"] = "00:00:01" };
        // A coordinator with scheduling off serves the API (and writes the trigger) but fires nothing: the farm is "down".
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [], new Dictionary<string, string?>(settings) { ["Scheduling:Enabled"] = "false" });
        var schedule = await farm.CreateScheduleAsync(new { name = "missed", cron = "0/2 * * * * ?", promptTemplates = new List<string> { "missed at {time:HH:mm:ss}" } });

        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.Empty(await farm.ScheduledJobsAsync(schedule.Id));

        var backAt = DateTimeOffset.UtcNow;
        farm.StartCoordinator(new Dictionary<string, string?>(settings) { ["Scheduling:Enabled"] = "true" });
        var jobs = await farm.WaitForScheduledJobsAsync(schedule.Id, 3, TimeSpan.FromSeconds(30));

        // Three or more occurrences were missed; they come back as one firing, then the cron carries on. Quartz stamps
        // that firing with the first missed time or with the moment it ran (it has done both), so the catch-up is the
        // one job that is either from before the restart or off the two-second grid; every other job is a regular
        // occurrence after the restart.
        var times = string.Join(", ", jobs.Select(j => $"{j.ScheduledFor:HH:mm:ss.fff}"));
        var catchUp = jobs.Where(j => j.ScheduledFor < backAt || j.ScheduledFor!.Value.Millisecond != 0 || j.ScheduledFor.Value.Second % 2 != 0).ToList();
        Assert.True(catchUp.Count == 1, times);
        Assert.Equal(jobs[0].Id, catchUp[0].Id);
    }

    [Fact]
    public async Task Pause_resume_and_run_now()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [], FastCluster);
        var schedule = await farm.CreateScheduleAsync(new
        {
            name = "paused from the start", cron = "0/2 * * * * ?", paused = true, promptTemplates = new List<string> { "run {counter}" },
        });
        Assert.True(schedule.Paused);
        Assert.Null(schedule.NextFireAt);

        // Run-now fires a paused schedule once, at once, as an ordinary tagged job.
        var before = DateTimeOffset.UtcNow;
        using (var response = await farm.Api.PostAsync($"/api/schedules/{schedule.Id:D}/run-now", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>())!;
            var job = await farm.GetJobAsync(accepted.Id);
            Assert.Equal(schedule.Id, job.ScheduleId);
            Assert.InRange(job.ScheduledFor!.Value, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            var images = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{accepted.Id:D}/images"))!;
            Assert.Equal(["run 1"], images.Select(i => i.Prompt));
        }

        // Paused: the cron does not fire.
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        Assert.Single(await farm.ScheduledJobsAsync(schedule.Id));

        using (var resumed = await farm.Api.PostAsync($"/api/schedules/{schedule.Id:D}/resume", null))
        {
            var view = (await resumed.Content.ReadFromJsonAsync<ScheduleView>())!;
            Assert.False(view.Paused);
            Assert.NotNull(view.NextFireAt);
        }

        var jobs = await farm.WaitForScheduledJobsAsync(schedule.Id, 3, TimeSpan.FromSeconds(20));
        Assert.All(jobs.Skip(1), j => Assert.Equal(0, j.ScheduledFor!.Value.Second % 2));

        using (var paused = await farm.Api.PostAsync($"/api/schedules/{schedule.Id:D}/pause", null))
        {
            Assert.True((await paused.Content.ReadFromJsonAsync<ScheduleView>())!.Paused);
        }

        // A firing already under way when pausing may still land; after that, nothing.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var settled = (await farm.ScheduledJobsAsync(schedule.Id)).Count;
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        Assert.Equal(settled, (await farm.ScheduledJobsAsync(schedule.Id)).Count);

        // Deleting removes the schedule; the jobs it submitted stay.
        using (var deleted = await farm.Api.DeleteAsync($"/api/schedules/{schedule.Id:D}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await farm.Api.GetAsync($"/api/schedules/{schedule.Id:D}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.Equal(settled, (await farm.ScheduledJobsAsync(schedule.Id)).Count);
    }
}
