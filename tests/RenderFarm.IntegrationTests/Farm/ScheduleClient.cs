using System.Net;
using System.Net.Http.Json;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Schedules;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>The schedule calls tests make, over a coordinator's HTTP API.</summary>
public static class ScheduleClient
{
    public static async Task<ScheduleView> CreateScheduleAsync(this TestFarm farm, object body)
    {
        using var response = await farm.Api.PostAsJsonAsync("/api/schedules", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ScheduleView>())!;
    }

    public static async Task<List<JobView>> ScheduledJobsAsync(this TestFarm farm, Guid scheduleId) =>
        (await farm.Api.GetFromJsonAsync<List<JobView>>("/api/jobs?limit=1000"))!
            .Where(j => j.ScheduleId == scheduleId)
            .OrderBy(j => j.ScheduledFor)
            .ToList();

    /// <summary>Polls until the schedule has submitted at least <paramref name="count"/> jobs; fails after <paramref name="timeout"/>.</summary>
    public static async Task<List<JobView>> WaitForScheduledJobsAsync(this TestFarm farm, Guid scheduleId, int count, TimeSpan timeout, Func<JobView, bool>? which = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var jobs = (await farm.ScheduledJobsAsync(scheduleId)).Where(which ?? (_ => true)).ToList();
            if (jobs.Count >= count)
            {
                return jobs;
            }

            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Schedule {scheduleId} submitted {jobs.Count} of {count} jobs in {timeout}.");
            }

            await Task.Delay(200);
        }
    }
}
