using System.Text.Json;

namespace RenderFarm.Inference.Tests.Export;

/// <summary>
/// The Z-Image traps that live in the export (tools/export-onnx/zimage_model.py), each held against numbers worked
/// out here from diffusers' definitions: what tools/export-onnx/zimage_traps.py reports the model computes must differ
/// from what the wrong way would give.
/// </summary>
public sealed class ZImageExportTrapTests
{
    private static readonly int[] Origin = [0, 0, 0];

    private static readonly Lazy<JsonElement> Probes = new(() =>
        JsonDocument.Parse(DebianPython.Run(DebianPython.Tool("zimage_traps.py"))).RootElement.Clone());

    [TorchFact]
    public void Rope_rotates_adjacent_dimensions_as_pairs_not_the_two_halves_of_the_head()
    {
        double[] x = [1, 2, 3, 4];
        double[] angles = [0.5, 1.5];
        // diffusers: view_as_complex on (x[2k], x[2k+1]) times e^(i angle_k).
        double[] interleaved =
        [
            (x[0] * Math.Cos(angles[0])) - (x[1] * Math.Sin(angles[0])), (x[0] * Math.Sin(angles[0])) + (x[1] * Math.Cos(angles[0])),
            (x[2] * Math.Cos(angles[1])) - (x[3] * Math.Sin(angles[1])), (x[2] * Math.Sin(angles[1])) + (x[3] * Math.Cos(angles[1])),
        ];
        // NeoX/Llama: (x[k], x[k + d/2]) rotated by angle_k.
        double[] halves =
        [
            (x[0] * Math.Cos(angles[0])) - (x[2] * Math.Sin(angles[0])), (x[1] * Math.Cos(angles[1])) - (x[3] * Math.Sin(angles[1])),
            (x[0] * Math.Sin(angles[0])) + (x[2] * Math.Cos(angles[0])), (x[1] * Math.Sin(angles[1])) + (x[3] * Math.Cos(angles[1])),
        ];

        var actual = Numbers(Probes.Value.GetProperty("rotate"));

        AssertClose(interleaved, actual, 1e-5);
        Assert.True(halves.Zip(actual, (h, a) => Math.Abs(h - a)).Max() > 0.5, "the probe must tell the two pairings apart");
    }

    [TorchFact]
    public void Rope_angles_are_each_axis_position_times_theta_to_the_minus_2k_over_its_dimension()
    {
        // make_tiny_zimage.py's transformer: axes_dims (4, 6, 6), theta 256; the probe looks up position (7, 2, 3).
        int[] dims = [4, 6, 6];
        int[] position = [7, 2, 3];
        var angles = dims.SelectMany((d, axis) => Enumerable.Range(0, d / 2).Select(k => position[axis] * Math.Pow(256, -2.0 * k / d))).ToArray();

        var rope = Probes.Value.GetProperty("rope");

        AssertClose(angles.Select(Math.Cos).ToArray(), Numbers(rope.GetProperty("cos")), 1e-6);
        AssertClose(angles.Select(Math.Sin).ToArray(), Numbers(rope.GetProperty("sin")), 1e-6);
    }

    [TorchFact]
    public void Image_tokens_come_first_at_the_padded_caption_length_plus_one_and_the_caption_follows_from_one()
    {
        // A 5-token caption pads to 32; a 3x2-patch image is 6 tokens padded to 32 at (0, 0, 0).
        var image = Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(0, 2).Select(c => new[] { 33, r, c }))
            .Concat(Enumerable.Repeat(Origin, 26));
        var caption = Enumerable.Range(1, 32).Select(j => new[] { j, 0, 0 });

        var positions = Probes.Value.GetProperty("positions");

        Assert.Equal(image, Ids(positions.GetProperty("image")));
        Assert.Equal(caption, Ids(positions.GetProperty("caption")));
    }

    [TorchFact]
    public void Learned_pad_tokens_take_part_in_attention_where_a_sequence_needs_padding()
    {
        var effect = Probes.Value.GetProperty("pad_effect");

        // Zero padding behind a mask would make the pad tokens irrelevant: they must move the output...
        Assert.True(effect.GetProperty("caption_5").GetDouble() > 1e-3);
        Assert.True(effect.GetProperty("image_6").GetDouble() > 1e-3);
        // ...and only where there is padding (32 tokens and 64 patches are multiples of 32).
        Assert.Equal(0.0, effect.GetProperty("caption_32").GetDouble());
        Assert.Equal(0.0, effect.GetProperty("image_64").GetDouble());
    }

    private static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    private static IEnumerable<int[]> Ids(JsonElement array) => array.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray());

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
    }
}
