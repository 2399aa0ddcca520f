using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Webhooks;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>
/// Delivers due webhook calls, signed, and retries failures with a doubling wait until <see cref="WebhookOptions.MaxAttempts"/>.
/// A delivery is claimed (its next attempt moved past the call's timeout) before it is sent, so replicas never send
/// one at once, and a replica that dies mid-call leaves it to be tried again.
/// </summary>
public sealed class WebhookSender(
    IServiceScopeFactory scopes,
    IHttpClientFactory http,
    WebhookSignal signal,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    private const int ClaimSize = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SendDueAsync(stoppingToken) == ClaimSize)
                {
                    continue;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is down, say: deliveries wait in it, nothing is lost.
                logger.LogWarning(e, "Webhook deliveries could not be read; trying again");
            }

            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <returns>How many deliveries were claimed.</returns>
    private async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>();
        var secrets = scope.ServiceProvider.GetRequiredService<WebhookSecrets>();
        var claimed = await ClaimAsync(db, cancellationToken);
        foreach (var delivery in claimed)
        {
            var secret = await db.Jobs.IgnoreQueryFilters().Where(j => j.Id == delivery.JobId).Select(j => j.WebhookSecret).SingleAsync(cancellationToken);
            var (status, error) = await AttemptAsync(delivery, secrets.Unprotect(secret!), cancellationToken);
            await RecordAsync(db, delivery, status, error, cancellationToken);
        }

        return claimed.Count;
    }

    private async Task<List<WebhookDelivery>> ClaimAsync(RenderFarmDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lease = now + options.Value.Timeout + TimeSpan.FromSeconds(30);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = db.Database.IsNpgsql()
            ? await db.WebhookDeliveries.FromSql($"""
                SELECT * FROM webhook_deliveries
                WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {now}
                ORDER BY "NextAttemptAt"
                LIMIT {ClaimSize}
                FOR UPDATE SKIP LOCKED
                """).IgnoreQueryFilters().AsNoTracking().ToListAsync(cancellationToken)
            : await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).Take(ClaimSize).ToListAsync(cancellationToken);
        var ids = due.Select(d => d.Id).ToList();
        await db.WebhookDeliveries.IgnoreQueryFilters().Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, lease), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due;
    }

    private async Task<(int? Status, string? Error)> AttemptAsync(WebhookDelivery delivery, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Create(secret, clock.GetUtcNow(), delivery.Payload));
        request.Headers.Add("RenderFarm-Event", delivery.Event);
        request.Headers.Add("RenderFarm-Delivery", delivery.Id.ToString("D"));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, e is OperationCanceledException ? $"No answer within {options.Value.Timeout.TotalSeconds:0} s." : e.Message);
        }
    }

    private async Task RecordAsync(RenderFarmDbContext db, WebhookDelivery delivery, int? status, string? error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var attempts = delivery.Attempts + 1;
        var settings = options.Value;
        var outcome = error is null ? WebhookDeliveryStatus.Delivered : attempts >= settings.MaxAttempts ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
        var wait = TimeSpan.FromTicks(Math.Min(settings.MaxRetryDelay.Ticks, settings.FirstRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 30))));
        await db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(
            s => s.SetProperty(d => d.Attempts, attempts)
                .SetProperty(d => d.Status, outcome)
                .SetProperty(d => d.LastAttemptAt, now)
                .SetProperty(d => d.LastStatusCode, status)
                .SetProperty(d => d.LastError, error == null ? null : error.Length > 2000 ? error.Substring(0, 2000) : error)
                .SetProperty(d => d.DeliveredAt, outcome == WebhookDeliveryStatus.Delivered ? now : null)
                .SetProperty(d => d.NextAttemptAt, now + wait),
            cancellationToken);
        if (outcome != WebhookDeliveryStatus.Delivered)
        {
            logger.LogWarning("Webhook delivery {DeliveryId} of job {JobId}, attempt {Attempt}: {Error}{GivenUp}",
                delivery.Id, delivery.JobId, attempts, error, outcome == WebhookDeliveryStatus.Failed ? "; given up" : "");
        }
    }
}
