namespace RenderFarm.Inference.Pipelines;

/// <summary>Tokenizes and encodes prompts for a unet; an empty-string negative prompt may mean "zeros" (SDXL).</summary>
internal interface ITextConditioner : IDisposable
{
    TextConditioning Encode(IReadOnlyList<string> prompts, bool negative, CancellationToken cancellationToken);
}
