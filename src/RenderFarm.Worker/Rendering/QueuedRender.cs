using System.Diagnostics;
using RenderFarm.Contracts;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// An image this worker holds: its message stays unacknowledged until <see cref="Completion"/> ends, so an image
/// whose worker dies goes back to the broker instead of being lost.
/// </summary>
public sealed class QueuedRender(RenderImage message, long sequence, DateTimeOffset arrivedAt)
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _abandoned;

    public RenderImage Message { get; } = message;

    /// <summary>Order of arrival on this worker.</summary>
    public long Sequence { get; } = sequence;

    public DateTimeOffset ArrivedAt { get; } = arrivedAt;

    /// <summary>The span that consumed the message (MassTransit's, under the dispatch's): the batch's spans join its trace.</summary>
    public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

    /// <summary>Ends when the image was reported (or skipped); faults when its report could not be sent.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The broker took the message back (the consumer was stopped): not worth rendering here any more.</summary>
    public bool IsAbandoned => _abandoned;

    public void Abandon() => _abandoned = true;

    public void Complete() => _completion.TrySetResult();

    public void Fail(Exception error) => _completion.TrySetException(error);
}
