using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;

namespace RenderFarm.UnitTests.Messaging;

/// <summary>A receive endpoint that only records what is called on it (<c>Stop</c>, <c>Start</c>, …).</summary>
public class RecordingEndpoint : DispatchProxy
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public static (IReceiveEndpoint Endpoint, RecordingEndpoint Recording) Create()
    {
        var endpoint = Create<IReceiveEndpoint, RecordingEndpoint>();
        return (endpoint, (RecordingEndpoint)(object)endpoint);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Calls.Enqueue(targetMethod!.Name);
        return targetMethod.ReturnType == typeof(Task) ? Task.CompletedTask : null;
    }
}
