using Microsoft.Extensions.Options;

namespace RenderFarm.Infrastructure.Messaging;

/// <summary>
/// Sends and publishes that give up after <see cref="BusOptions.SendTimeout"/>. RabbitMQ.Client 7 can leave a publish
/// waiting forever for the confirm of a channel that closed under it (rabbitmq/rabbitmq-dotnet-client#1930; seen here
/// when RabbitMQ restarts): a dispatch round then holds its row locks, a worker its batch and a heartbeat loop its next
/// beat, for good. Bounded, the caller sees a <see cref="TimeoutException"/> and goes on as after any broker fault.
/// </summary>
public sealed class BrokerSends(IOptions<BusOptions> options)
{
    /// <param name="send">The send, given a token that is cancelled at the timeout (or with <paramref name="cancellationToken"/>).</param>
    public async Task WithinTimeoutAsync(Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var limit = options.Value.SendTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            // WaitAsync too: a send stuck on a lost confirm does not look at its token.
            await send(timeout.Token).WaitAsync(limit, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // WaitAsync's own timer can fire before the token's: the send left behind is told to stop either way.
            await timeout.CancelAsync();
            throw new TimeoutException($"The broker did not take the message within {limit} (Bus:SendTimeout).", e);
        }
    }
}
