using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Minio.DataModel.Args;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Schedulers;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The orphan scan on real S3 (s3rver) and PostgreSQL.</summary>
public sealed class OrphanScanTests
{
    [Fact]
    public async Task Objects_no_image_row_points_to_are_reported_and_removed_only_after_the_grace_period_and_nothing_else_is_touched()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10))]);
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a kept image"], Count = 8 });
        Assert.Equal("completed", (await farm.WaitForJobAsync(accepted.Id, j => j.FinishedAt is not null, TimeSpan.FromMinutes(1))).Status);
        var image = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{accepted.Id:D}/images"))!.Single(i => i.Index == 3);
        (await farm.Api.GetAsync(new Uri($"/api/images/{image.Id:D}/thumbnail", UriKind.Relative))).EnsureSuccessStatusCode();
        var kept = await farm.ListObjectsAsync("");
        Assert.Equal(9, kept.Count);
        Assert.Contains($"thumbs/jobs/{accepted.Id:D}/000003.jpg", kept);

        // Orphans as a crash or a refused result leaves them: an image of no job, an image of the job that has no row,
        // and a thumbnail of an image that is gone; and a key that is not the farm's at all.
        var gone = Guid.NewGuid();
        string[] orphans = [$"jobs/{gone:D}/000000.png", $"jobs/{accepted.Id:D}/000099.png", $"thumbs/jobs/{gone:D}/000001.jpg"];
        const string foreign = "notes/readme.txt";
        foreach (var key in orphans.Append(foreign))
        {
            using var content = new MemoryStream([1, 2, 3]);
            await farm.S3.PutObjectAsync(new PutObjectArgs().WithBucket(farm.Bucket).WithObject(key).WithStreamData(content).WithObjectSize(content.Length).WithContentType("application/octet-stream"));
        }

        // Within the grace period (an upload whose result may still be on its way): reported, kept. Pages of three
        // keys, so the comparison runs over several pages.
        var fresh = await ScanAsync(farm, new SchedulingOptions { OrphanScanPageSize = 3 });
        Assert.Equal(new OrphanScanResult(13, 3, 0, 1), fresh);
        Assert.Equal(13, (await farm.ListObjectsAsync("")).Count);

        var expired = await ScanAsync(farm, new SchedulingOptions { OrphanScanPageSize = 3, OrphanGracePeriod = TimeSpan.Zero });
        Assert.Equal(new OrphanScanResult(13, 3, 3, 1), expired);
        Assert.Equal(kept.Append(foreign).Order(StringComparer.Ordinal), (await farm.ListObjectsAsync("")).Order(StringComparer.Ordinal));

        Assert.Equal(new OrphanScanResult(10, 0, 0, 1), await ScanAsync(farm, new SchedulingOptions { OrphanGracePeriod = TimeSpan.Zero }));
    }

    private static async Task<OrphanScanResult> ScanAsync(TestFarm farm, SchedulingOptions options)
    {
        await using var scope = farm.CoordinatorServices.CreateAsyncScope();
        var scan = ActivatorUtilities.CreateInstance<OrphanScanJob>(scope.ServiceProvider, Options.Create(options));
        return await scan.ScanAsync(CancellationToken.None);
    }
}
