using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Cli;
using RenderFarm.Cli.Commands;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Core.Studios;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary><c>renderfarm keys bootstrap</c>: an admin key written straight into the farm's database, the way back in when every admin key is lost.</summary>
public sealed class CliKeysTests
{
    [Fact]
    public async Task Keys_bootstrap_stores_an_admin_key_of_a_new_studio_that_the_coordinator_accepts()
    {
        await using var farm = await TestFarm.StartAsync(TestFarm.NewModelName(), coordinators: 1, []);

        using var console = new CapturedConsole();
        var exit = await CliApplication.Create(console.Console).Parse(["keys", "bootstrap", "--database", farm.ConnectionString, "--studio", "night-shift"]).InvokeAsync();

        Assert.True(exit == ExitCodes.Success, console.Text);
        var key = console.Text.Split('\n', StringSplitOptions.TrimEntries).Single(line => line.StartsWith("rf_", StringComparison.Ordinal));
        using var client = farm.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var keys = await client.GetAsync(new Uri("/api/keys", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);

        await using var db = farm.CreateDbContext();
        var studio = await db.Studios.IgnoreQueryFilters().SingleAsync(s => s.Name == "night-shift");
        var row = await db.ApiKeys.IgnoreQueryFilters().SingleAsync(k => k.StudioId == studio.Id);
        Assert.Equal((StudioRole.Admin, null), (row.Role, row.RevokedAt));
        Assert.Equal(ApiKeyFormat.Hash(key), row.Hash);
        Assert.Contains(await db.AuditLog.IgnoreQueryFilters().ToListAsync(), e => e.Action == "key.bootstrapped" && e.Actor == "cli" && e.KeyId == row.Id);
    }

    [Fact]
    public async Task Keys_bootstrap_refuses_a_studio_name_that_is_not_one_and_names_the_option()
    {
        await using var farm = await TestFarm.StartAsync(TestFarm.NewModelName(), coordinators: 0, []);

        using var console = new CapturedConsole();
        var exit = await CliApplication.Create(console.Console).Parse(["keys", "bootstrap", "--database", farm.ConnectionString, "--studio", "Night Shift!"]).InvokeAsync();

        Assert.Equal(2, exit);
        Assert.Contains("--studio", console.Text, StringComparison.Ordinal);
    }
}
