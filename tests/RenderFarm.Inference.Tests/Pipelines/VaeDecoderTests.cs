using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Tests.Pipelines;

public sealed class VaeDecoderTests
{
    [Fact]
    public void Maps_planar_minus_one_to_one_onto_packed_rgb_bytes_like_diffusers()
    {
        // 2 pixels, planes R, G, B. diffusers: round(clamp(x / 2 + 0.5, 0, 1) * 255), numpy rounds half to even.
        float[] planar = [-1f, 1f, /* G */ 0f, 2f, /* B */ -3f, 0.5f];

        var image = VaeDecoder.ToRgb(planar, height: 1, width: 2);

        Assert.Equal(2, image.Width);
        Assert.Equal(1, image.Height);
        // 0 -> 127.5 -> 128 (half to even), 0.5 -> 191.25 -> 191, out of range clamps.
        Assert.Equal(new byte[] { 0, 128, 0, 255, 255, 191 }, image.Rgb);
    }
}
