using Microsoft.Extensions.Options;
using RenderFarm.Infrastructure.Messaging;

namespace RenderFarm.UnitTests.Messaging;

public sealed class BrokerSendsTests
{
    private static readonly BrokerSends Sends = new(Options.Create(new BusOptions { SendTimeout = TimeSpan.FromMilliseconds(200) }));

    [Fact]
    public async Task A_send_that_never_completes_nor_looks_at_its_token_ends_in_a_timeout()
    {
        var never = new TaskCompletionSource();

        var e = await Assert.ThrowsAsync<TimeoutException>(() => Sends.WithinTimeoutAsync(_ => never.Task, CancellationToken.None));

        Assert.Contains("Bus:SendTimeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_send_that_gives_up_on_its_token_ends_in_a_timeout_too()
    {
        CancellationToken given = default;

        await Assert.ThrowsAsync<TimeoutException>(() => Sends.WithinTimeoutAsync(
            ct =>
            {
                given = ct;
                return Task.Delay(Timeout.Infinite, ct);
            },
            CancellationToken.None));

        Assert.True(given.IsCancellationRequested);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var caller = new CancellationTokenSource();
        var never = new TaskCompletionSource();
        var sending = Sends.WithinTimeoutAsync(_ => never.Task, caller.Token);

        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Fact]
    public async Task A_send_that_completes_or_fails_is_passed_through()
    {
        var sent = 0;
        await Sends.WithinTimeoutAsync(
            _ =>
            {
                sent++;
                return Task.CompletedTask;
            },
            CancellationToken.None);

        Assert.Equal(1, sent);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Sends.WithinTimeoutAsync(_ => Task.FromException(new InvalidOperationException("refused")), CancellationToken.None));
    }
}
