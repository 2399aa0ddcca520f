using System.Net.Http.Json;
using RenderFarm.Cli;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary><c>renderfarm schedules …</c> against a coordinator on the real servers.</summary>
public sealed class CliScheduleTests
{
    [Fact]
    public async Task Schedules_are_added_listed_paused_resumed_run_and_removed_from_the_command_line()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, []);
        var server = farm.Api.BaseAddress!.ToString();

        var (exit, text) = await RunAsync(
            "schedules", "add", "daily watercolor", "--cron", "0 0 7 * * ?", "--zone", "Europe/Berlin",
            "--prompt", "a watercolor of {city} in {season}, {date:dddd}", "--list", "city=Berlin|Lisbon|Kyoto", "--count", "4", "--server", server, "--api-key", farm.AdminKey);
        Assert.True(exit == 0, text);
        var schedule = Assert.Single((await farm.Api.GetFromJsonAsync<List<ScheduleView>>("/api/schedules"))!);
        Assert.Equal(("daily watercolor", "Europe/Berlin", 4), (schedule.Name, schedule.TimeZone, schedule.Job.Count));
        Assert.Equal(["Berlin", "Lisbon", "Kyoto"], schedule.Lists["city"]);
        Assert.Contains(schedule.Id.ToString(), text);

        (exit, text) = await RunAsync("schedules", "list", "--server", server, "--api-key", farm.AdminKey);
        Assert.Equal(0, exit);
        Assert.Contains("daily watercolor", text);
        Assert.Contains("active", text);

        (exit, text) = await RunAsync("schedules", "pause", schedule.Id.ToString(), "--server", server, "--api-key", farm.AdminKey);
        Assert.Equal((0, true), (exit, (await farm.Api.GetFromJsonAsync<ScheduleView>($"/api/schedules/{schedule.Id:D}"))!.Paused));
        Assert.Contains("paused", text);

        (exit, _) = await RunAsync("schedules", "resume", schedule.Id.ToString(), "--server", server, "--api-key", farm.AdminKey);
        Assert.Equal((0, false), (exit, (await farm.Api.GetFromJsonAsync<ScheduleView>($"/api/schedules/{schedule.Id:D}"))!.Paused));

        (exit, text) = await RunAsync("schedules", "run-now", schedule.Id.ToString(), "--server", server, "--api-key", farm.AdminKey);
        Assert.True(exit == 0, text);
        var job = Assert.Single(await farm.ScheduledJobsAsync(schedule.Id));
        Assert.Equal(4, job.Total);
        Assert.Contains(job.Id.ToString(), text);

        (exit, _) = await RunAsync("schedules", "remove", schedule.Id.ToString(), "--server", server, "--api-key", farm.AdminKey);
        Assert.Equal(0, exit);
        Assert.Empty((await farm.Api.GetFromJsonAsync<List<ScheduleView>>("/api/schedules"))!);

        (exit, text) = await RunAsync("schedules", "remove", schedule.Id.ToString(), "--server", server, "--api-key", farm.AdminKey);
        Assert.Equal(1, exit);
        Assert.Contains($"no schedule {schedule.Id}", text);
    }

    [Fact]
    public async Task Bad_schedules_are_reported_by_option_name_and_nothing_is_saved()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, []);

        var (exit, text) = await RunAsync(
            "schedules", "add", "broken", "--cron", "0 7 * * *", "--zone", "Mars/Olympus_Mons", "--prompt", "fine", "--prompt", "a {colour} fox",
            "--width", "100", "--server", farm.Api.BaseAddress!.ToString(), "--api-key", farm.AdminKey);

        Assert.Equal(2, exit);
        Assert.Contains("--cron: '0 7 * * *' is not a Quartz cron expression", text);
        Assert.Contains("--zone: Unknown time zone 'Mars/Olympus_Mons'", text);
        Assert.Contains("--prompt 2: Unknown variable or list '{colour}'", text);
        Assert.Contains("--width: The width must be", text);
        Assert.Empty((await farm.Api.GetFromJsonAsync<List<ScheduleView>>("/api/schedules"))!);
    }

    [Fact]
    public async Task Schedule_commands_require_a_server()
    {
        var (exit, text) = await RunAsync("schedules", "list");

        Assert.NotEqual(0, exit);
        Assert.Contains("--server", text);
    }

    private static async Task<(int Exit, string Text)> RunAsync(params string[] args)
    {
        using var console = new CapturedConsole();
        var output = new StringWriter();
        var parse = CliApplication.Create(console.Console).Parse(args);
        var exit = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
        return (exit, console.Text + output);
    }
}
