namespace RenderFarm.Coordinator.Deadlines;

/// <summary>The jobs this replica has already announced as unable to make their deadline: each is announced once.</summary>
public sealed class AtRiskAnnouncements
{
    private const int Remembered = 10_000;
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _announced = [];

    public bool IsNew(Guid jobId)
    {
        lock (_lock)
        {
            if (_announced.Count > Remembered)
            {
                _announced.Clear();
            }

            return _announced.Add(jobId);
        }
    }
}
