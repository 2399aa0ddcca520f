using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Workers;
using RenderFarm.Worker.Models;

namespace RenderFarm.Worker.Control;

/// <summary>
/// Whether this worker takes work. Draining (an operator's drain, or the process stopping) and quarantine (too many
/// engine failures in a row) stop its render endpoints: the broker delivers nothing more, and stopping an endpoint
/// waits for the messages it already delivered, so what the worker holds is finished (drain) or handed back
/// (quarantine, stopping; see <see cref="HandsBack"/>) before the stop completes. A release starts them again.
/// </summary>
public sealed class ConsumptionControl : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _switching = new(1, 1);
    private readonly RenderEndpoints _endpoints;
    private readonly WorkerOptions _options;
    private readonly ILogger<ConsumptionControl> _logger;
    private readonly HashSet<Guid> _failedImages = [];
    private volatile bool _stopping;

    public ConsumptionControl(RenderEndpoints endpoints, IOptions<WorkerOptions> options, ILogger<ConsumptionControl> logger)
    {
        _endpoints = endpoints;
        _options = options.Value;
        _logger = logger;

        // An endpoint connected later (a model found by a rescan) must not consume while the worker is stepping aside.
        endpoints.EndpointReady += endpoint =>
        {
            if (State != WorkerStates.Active)
            {
                _ = StopAsync([endpoint]);
            }
        };
    }

    /// <summary>One of <see cref="WorkerStates"/>.</summary>
    public string State { get; private set; } = WorkerStates.Active;

    public string? Reason { get; private set; }

    /// <summary>
    /// Held images not yet in the engine go back to the farm uncharged instead of being rendered here: a quarantined
    /// engine would only fail them, and a stopping process should not start work it cannot finish in time.
    /// </summary>
    public bool HandsBack => _stopping || State == WorkerStates.Quarantined;

    /// <summary>Raised when <see cref="State"/> changes, so the coordinator hears of it before the next heartbeat.</summary>
    public event Action? Changed;

    public Task DrainAsync(string reason) => StepAsideAsync(WorkerStates.Draining, reason);

    /// <summary>
    /// The process is stopping (SIGTERM): hand back what the engine has not started and say so. The endpoints are left
    /// to the bus, whose stop waits for the messages they delivered (now finished or handed back).
    /// </summary>
    public void BeginShutdown()
    {
        lock (_lock)
        {
            _stopping = true;
            SetState(WorkerStates.Draining, "the worker process is stopping");
        }
    }

    public async Task ReleaseAsync()
    {
        await _switching.WaitAsync();
        try
        {
            if (_stopping || State == WorkerStates.Active)
            {
                return;
            }

            EngineSucceeded();
            SetState(WorkerStates.Active, null);
            foreach (var endpoint in _endpoints.Endpoints)
            {
                try
                {
                    await endpoint.Start().Ready;
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "Render endpoint {Address} did not start again", endpoint.InputAddress);
                }
            }

            _logger.LogWarning("Worker {WorkerId} released: taking work again", _options.Id);
        }
        finally
        {
            _switching.Release();
        }
    }

    public void EngineSucceeded()
    {
        lock (_lock)
        {
            _failedImages.Clear();
        }
    }

    /// <summary>
    /// Counts an image the engine failed. Failures of <see cref="WorkerOptions.QuarantineAfterFailures"/> different
    /// images in a row, with no success between, quarantine the worker: one poison image retried here fails every time
    /// and says nothing about the worker, many different ones do.
    /// </summary>
    public void EngineFailed(Guid imageId, string error)
    {
        var limit = _options.QuarantineAfterFailures;
        int failures;
        lock (_lock)
        {
            _failedImages.Add(imageId);
            failures = _failedImages.Count;
        }

        if (limit > 0 && failures >= limit && State == WorkerStates.Active)
        {
            // Not awaited: stopping the endpoints waits for the images this worker holds, which the caller hands back.
            _ = StepAsideAsync(WorkerStates.Quarantined, $"{failures} consecutive engine failures on different images; the last: {error}");
        }
    }

    private async Task StepAsideAsync(string state, string reason)
    {
        lock (_lock)
        {
            if (State == state || (State == WorkerStates.Quarantined && state == WorkerStates.Draining && !_stopping))
            {
                return;
            }

            SetState(state, reason);
        }

        _logger.LogWarning("Worker {WorkerId} is {State}: {Reason}", _options.Id, state, reason);
        await _switching.WaitAsync();
        try
        {
            // A release that got the switch first has already undone this step.
            if (State != WorkerStates.Active)
            {
                await StopAsync(_endpoints.Endpoints);
            }
        }
        finally
        {
            _switching.Release();
        }
    }

    private async Task StopAsync(IReadOnlyCollection<IReceiveEndpoint> endpoints)
    {
        try
        {
            await Task.WhenAll(endpoints.Select(e => e.Stop()));
            _logger.LogInformation("Worker {WorkerId}: render endpoints stopped; everything held was reported", _options.Id);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Stopping the render endpoints of worker {WorkerId} failed", _options.Id);
        }
    }

    public void Dispose() => _switching.Dispose();

    private void SetState(string state, string? reason)
    {
        State = state;
        Reason = reason;
        Changed?.Invoke();
    }
}
