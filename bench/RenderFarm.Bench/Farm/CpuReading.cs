namespace RenderFarm.Bench.Farm;

/// <summary>CPU time used so far by each part of the farm.</summary>
public sealed record CpuReading(TimeSpan Coordinator, TimeSpan Workers, TimeSpan PostgreSql, TimeSpan RabbitMq, TimeSpan S3)
{
    public CpuReading Minus(CpuReading earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new(Coordinator - earlier.Coordinator, Workers - earlier.Workers, PostgreSql - earlier.PostgreSql, RabbitMq - earlier.RabbitMq, S3 - earlier.S3);
    }

    /// <summary>The farm's own share: our processes, PostgreSQL and RabbitMQ. S3 puts are one per image by nature, so S3 is reported apart.</summary>
    public TimeSpan Farm => Coordinator + Workers + PostgreSql + RabbitMq;
}
