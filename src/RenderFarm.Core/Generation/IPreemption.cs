namespace RenderFarm.Core.Generation;

/// <summary>
/// Where an engine lets more urgent work ahead of the batch it is rendering: between two denoising steps, where the
/// batch's whole state is its latents. The batch waits there, keeping them, and goes on where it stopped, so nothing
/// is rendered twice.
/// </summary>
public interface IPreemption
{
    /// <summary>Completes at once when nothing is more urgent; otherwise once the more urgent work has left the engine.</summary>
    ValueTask BetweenStepsAsync(CancellationToken cancellationToken);
}
