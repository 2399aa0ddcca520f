namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// The guidance-scale embedding LCM-distilled unets take as <c>timestep_cond</c> (diffusers'
/// <c>get_guidance_scale_embedding</c>): guidance is distilled into the model instead of run as CFG.
/// </summary>
internal static class GuidanceEmbedding
{
    /// <param name="w">diffusers passes guidance_scale - 1.</param>
    public static float[] Create(double w, int dim)
    {
        var result = new float[dim];
        var half = dim / 2;
        var scale = Math.Log(10000.0) / (half - 1);
        for (var i = 0; i < half; i++)
        {
            var x = w * 1000.0 * Math.Exp(-scale * i);
            result[i] = (float)Math.Sin(x);
            result[half + i] = (float)Math.Cos(x);
        }

        return result;
    }
}
