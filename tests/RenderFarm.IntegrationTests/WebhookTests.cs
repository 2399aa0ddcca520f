using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Job webhooks against a local HTTP listener that checks every signature, on the real servers.</summary>
public sealed class WebhookTests
{
    private const string Secret = "a-long-enough-webhook-secret";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_finished_job_is_posted_signed_and_a_receiver_that_fails_twice_gets_it_on_the_third_attempt()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 2);
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(5))], FastWebhooks(allowPrivate: true));

        var job = await farm.SubmitAsync(new JobRequest { Prompts = ["a signed fox"], Count = 2, Webhook = receiver.Url, WebhookSecret = Secret });
        await farm.WaitForJobAsync(job.Id, j => j.Status == "completed", Patience);
        var delivery = await WaitForDeliveryAsync(farm, job.Id, d => d.Status == "delivered");

        Assert.Equal((3, 200), (delivery.Attempts, delivery.LastStatusCode));
        Assert.Equal(3, receiver.Calls.Count);
        foreach (var call in receiver.Calls)
        {
            Assert.True(call.SignatureValid, $"signature {call.Signature} does not verify");
            Assert.Equal("job.finished", call.Event);
            Assert.Equal(delivery.Id.ToString("D"), call.Delivery);
        }

        // Every attempt sends the same body (signed anew, with its own time).
        Assert.Single(receiver.Calls.Select(c => c.Body).Distinct());
        using var body = JsonDocument.Parse(receiver.Calls.First().Body);
        Assert.Equal(job.Id, body.RootElement.GetProperty("job").GetProperty("id").GetGuid());
        Assert.Equal(("completed", 2), (body.RootElement.GetProperty("job").GetProperty("status").GetString(), body.RootElement.GetProperty("job").GetProperty("completed").GetInt32()));
        var images = body.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, images.Count);
        var image = await farm.Api.GetAsync(images[0].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);

        // Never shown again: not in the job, not in the delivery.
        Assert.DoesNotContain(Secret, await farm.Api.GetStringAsync($"/api/jobs/{job.Id:D}"));
        Assert.DoesNotContain(Secret, await farm.Api.GetStringAsync($"/api/jobs/{job.Id:D}/deliveries"));
        await using var db = farm.CreateDbContext();
        Assert.DoesNotContain(Secret, db.Jobs.Where(j => j.Id == job.Id).Select(j => j.WebhookSecret).Single());
    }

    [Fact]
    public async Task Webhooks_are_checked_a_schedule_passes_its_own_on_and_private_addresses_are_refused_unless_allowed()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(5))], FastWebhooks(allowPrivate: false));

        foreach (var (request, field) in new[]
                 {
                     (new JobRequest { Prompts = ["x"], Webhook = receiver.Url }, "webhookSecret"),
                     (new JobRequest { Prompts = ["x"], Webhook = "ftp://example.com/hook", WebhookSecret = Secret }, "webhook"),
                     (new JobRequest { Prompts = ["x"], Webhook = "https://user:pass@example.com/hook", WebhookSecret = Secret }, "webhook"),
                     (new JobRequest { Prompts = ["x"], Webhook = receiver.Url, WebhookSecret = "short" }, "webhookSecret"),
                 })
        {
            using var refused = await farm.Api.PostAsJsonAsync("/api/jobs", request);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"\"{field}\"", await refused.Content.ReadAsStringAsync());
        }

        // The schedule keeps its secret encrypted and never shows it; its jobs carry the webhook.
        using var created = await farm.Api.PostAsJsonAsync("/api/schedules", new ScheduleRequest
        {
            Name = "hooked", Cron = "0 0 9 * * ?", PromptTemplates = ["a sunrise"], Job = new JobRequest { Webhook = receiver.Url, WebhookSecret = Secret },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = (await created.Content.ReadFromJsonAsync<ScheduleView>())!;
        Assert.Equal((receiver.Url, (string?)null), (schedule.Job.Webhook, schedule.Job.WebhookSecret));
        using var fired = await farm.Api.PostAsync($"/api/schedules/{schedule.Id:D}/run-now", null);
        var job = (await fired.Content.ReadFromJsonAsync<JobAccepted>())!;
        await farm.WaitForJobAsync(job.Id, j => j.Status == "completed", Patience);

        // The receiver listens on loopback, which this farm does not allow: the attempt fails before any byte is sent.
        var delivery = await WaitForDeliveryAsync(farm, job.Id, d => d.Attempts >= 1);
        Assert.Equal("pending", delivery.Status);
        Assert.Contains("no public address", delivery.LastError);
        Assert.Empty(receiver.Calls);
    }

    private static Dictionary<string, string?> FastWebhooks(bool allowPrivate) => new()
    {
        ["Webhooks:AllowPrivateNetworks"] = allowPrivate ? "true" : "false",
        ["Webhooks:FirstRetryDelay"] = "00:00:00.200",
        ["Webhooks:PollInterval"] = "00:00:00.100",
    };

    private static async Task<WebhookDeliveryView> WaitForDeliveryAsync(TestFarm farm, Guid jobId, Func<WebhookDeliveryView, bool> until)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var deliveries = (await farm.Api.GetFromJsonAsync<List<WebhookDeliveryView>>($"/api/jobs/{jobId:D}/deliveries"))!;
            if (deliveries.Count == 1 && until(deliveries[0]))
            {
                return deliveries[0];
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>An HTTP receiver on loopback that answers 500 to its first calls, then 200, and checks each call's signature.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _failuresLeft;

        private Receiver(WebApplication app, int failFirst)
        {
            _app = app;
            _failuresLeft = failFirst;
        }

        public ConcurrentQueue<Call> Calls { get; } = new();

        public string Url => _app.Urls.First() + "/hook";

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app, failFirst);
            app.MapPost("/hook", async (HttpRequest request) =>
            {
                var body = await new StreamReader(request.Body).ReadToEndAsync();
                var signature = request.Headers[WebhookSignature.Header].ToString();
                receiver.Calls.Enqueue(new Call(body, signature, Verify(signature, body), request.Headers["RenderFarm-Event"].ToString(), request.Headers["RenderFarm-Delivery"].ToString()));
                return Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? Results.StatusCode(500) : Results.Ok();
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();

        /// <summary>What a receiver does: recompute the HMAC over "t.body", compare in constant time, refuse old timestamps.</summary>
        private static bool Verify(string header, string body)
        {
            var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var timestamp = long.Parse(parts["t"], CultureInfo.InvariantCulture);
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}"));
            return Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) < 300
                && CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"]));
        }
    }

    private sealed record Call(string Body, string Signature, bool SignatureValid, string Event, string Delivery);
}
