namespace RenderFarm.Bench.Faults;

/// <summary>A job's images as the farm recorded them (rows in PostgreSQL) and stored them (objects in S3).</summary>
/// <param name="Rows">Image rows of the job.</param>
/// <param name="Rendered">Rows that are rendered, each with its own object key.</param>
/// <param name="Objects">Objects under the job's prefix in the bucket.</param>
/// <param name="Missing">Rendered rows whose object is not in the bucket.</param>
/// <param name="MaxAttempts">The most attempts any image was charged.</param>
public sealed record ImageTally(int Rows, int Rendered, int Objects, int Missing, int MaxAttempts)
{
    public static ImageTally None { get; } = new(0, 0, 0, 0, 0);
}
