using Microsoft.Extensions.Logging.Abstractions;
using Quartz.Logging;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Quartz 3 logs through one static provider per process, and its DI package points it at the logger factory of
/// whichever container resolves Quartz last. With several hosts in one process (the embedded CLI started twice, the
/// integration tests) a stopped host leaves it pointing at a disposed factory, and the next scheduler fails while
/// being constructed. Here the static provider forwards to the factory of the newest running host instead.
/// </summary>
public sealed class QuartzLogging : ILoggerFactory
{
    private static readonly QuartzLogging Instance = new();
    private readonly Lock _gate = new();
    private readonly List<ILoggerFactory> _running = [];

    private QuartzLogging()
    {
    }

    /// <summary>Points Quartz's static logging here, once per process, and stops the DI package from re-pointing it.</summary>
    public static void Install(IServiceCollection services)
    {
        LogContext.SetCurrentLogProvider(Instance);

        // The package's registration (an internal type, asked for with GetService, so removing it is safe) is what
        // re-points the static provider at the container's factory.
        foreach (var registration in services.Where(s => s.ServiceType.FullName == "Quartz.Simpl.MicrosoftLoggingProvider").ToList())
        {
            services.Remove(registration);
        }
    }

    public static void Attach(ILoggerFactory factory)
    {
        lock (Instance._gate)
        {
            Instance._running.Add(factory);
        }
    }

    public static void Detach(ILoggerFactory factory)
    {
        lock (Instance._gate)
        {
            Instance._running.Remove(factory);
        }
    }

    public ILogger CreateLogger(string categoryName)
    {
        ILoggerFactory? factory;
        lock (_gate)
        {
            factory = _running.LastOrDefault();
        }

        try
        {
            return factory?.CreateLogger(categoryName) ?? NullLogger.Instance;
        }
        catch (ObjectDisposedException)
        {
            return NullLogger.Instance;
        }
    }

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Add logging providers to a host, not to Quartz's forwarder.");

    public void Dispose()
    {
        // Process-wide; hosts come and go, the forwarder stays.
    }
}
