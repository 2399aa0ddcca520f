using System.Diagnostics;
using Microsoft.Extensions.Options;
using RenderFarm.Infrastructure.Hosting;

namespace RenderFarm.Coordinator.Dispatch;

/// <summary>Runs the dispatcher whenever it is woken, and at least every poll interval.</summary>
public sealed class DispatchLoop(
    IServiceScopeFactory scopes,
    DispatchSignal signal,
    IHostApplicationLifetime lifetime,
    IOptions<DispatchOptions> options,
    ILogger<DispatchLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);
        var sinceRound = Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Under load every reported batch wakes the dispatcher: rounds at most every RoundInterval gather many
                // results' worth of room into one round, while a job that just arrived goes at once.
                if (!signal.TakeNewJob() && options.Value.RoundInterval - sinceRound.Elapsed is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, stoppingToken);
                }

                sinceRound.Restart();
                await using var scope = scopes.CreateAsyncScope();
                var sent = await scope.ServiceProvider.GetRequiredService<ImageDispatcher>().DispatchOnceAsync(stoppingToken);
                if (sent > 0)
                {
                    continue; // there may be more room: look again at once
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Dispatch failed; retrying");
            }

            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
