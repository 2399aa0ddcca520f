namespace RenderFarm.Worker.Rendering;

/// <summary>
/// The engine's measured time for each batch size of each kind of batch (the <see cref="Consumers.RenderImageBatchKey"/>),
/// so that the <see cref="RenderQueue"/> can tell whether topping a job's batch up with other jobs' images buys
/// throughput or only makes that job wait. It depends on the engine: a GPU with room to spare renders four images in
/// little more than the time of one, while a saturated one (SDXL at 1024², or a CPU) takes four times as long.
/// </summary>
public sealed class EngineBatchTimes
{
    private const int RememberedSizes = 1_000;

    // Topping up must save at least a tenth of the added images' engine time, so that measurement noise on an engine
    // whose time grows with the batch does not make a small job wait for nothing.
    private const double RequiredSaving = 0.9;

    // Topping up that lengthens the batch by less than this pays whatever the engine: the job does not notice the wait,
    // and a batch fewer saves the farm a report and its recording (without it a near-zero engine's batches shrank from
    // 4.0 to 3.7-3.8 images, measured while every job's images went by this rule, not only jobs' tails).
    private const double UnnoticedMilliseconds = 5;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Key, int Images), double> _milliseconds = [];

    public void Add(string batchKey, int images, TimeSpan elapsed)
    {
        lock (_lock)
        {
            if (_milliseconds.Count > RememberedSizes)
            {
                _milliseconds.Clear();
            }

            var measured = elapsed.TotalMilliseconds;
            _milliseconds[(batchKey, images)] = _milliseconds.TryGetValue((batchKey, images), out var average)
                ? (0.8 * average) + (0.2 * measured)
                : measured;
        }
    }

    /// <summary>
    /// Whether rendering <paramref name="toppedUp"/> images in one call is worth making the first <paramref name="alone"/>
    /// of them wait for the others: true when the added images cost less engine time than their share of the bigger
    /// batch, or next to none. Until the bigger size is measured it is tried; until the smaller one is, the job's images
    /// go alone once.
    /// </summary>
    public bool ToppingUpPays(string batchKey, int alone, int toppedUp)
    {
        lock (_lock)
        {
            if (!_milliseconds.TryGetValue((batchKey, toppedUp), out var bigger))
            {
                return true;
            }

            if (!_milliseconds.TryGetValue((batchKey, alone), out var smaller))
            {
                return false;
            }

            var perAddedImage = (bigger - smaller) / (toppedUp - alone);
            return bigger - smaller < UnnoticedMilliseconds || perAddedImage < RequiredSaving * bigger / toppedUp;
        }
    }
}
