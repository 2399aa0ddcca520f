using System.Security.Cryptography;
using System.Text.Json;
using RenderFarm.Inference.Noise;

namespace RenderFarm.Inference.Tests.Noise;

/// <summary>
/// The "torch-cpu" noise against tests/fixtures/torch-randn.json, written by
/// tools/make-test-models/torch_noise_reference.py with Debian's python3-torch (torch.randn on a seeded CPU generator,
/// float32 bit patterns). Bit for bit: sizes under 16 (torch's scalar path, with its cached second value), 16 and
/// more (the vectorised Box-Muller), sizes that are not multiples of 16, and consecutive draws on one generator.
/// </summary>
public sealed class TorchNoiseTests
{
    private static readonly JsonElement Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, "tests", "fixtures", "torch-randn.json"))).RootElement;

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Reference.GetProperty("cases").GetArrayLength())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Draws_match_torch_bit_for_bit(int index)
    {
        var @case = Reference.GetProperty("cases")[index];
        var random = new TorchCpuRandom(@case.GetProperty("seed").GetInt64());

        foreach (var draw in @case.GetProperty("draws").EnumerateArray())
        {
            var values = new float[draw.GetProperty("size").GetInt32()];
            random.Fill(values);

            var expected = draw.GetProperty("bits").EnumerateArray().Select(b => b.GetInt32()).ToArray();
            Assert.Equal(expected, values.Select(BitConverter.SingleToInt32Bits).ToArray());
        }
    }

    [Fact]
    public void Latent_sized_draws_match_torch_bit_for_bit()
    {
        foreach (var large in Reference.GetProperty("large").EnumerateArray())
        {
            var values = new float[large.GetProperty("size").GetInt32()];
            new TorchCpuRandom(large.GetProperty("seed").GetInt64()).Fill(values);

            var bits = values.Select(BitConverter.SingleToInt32Bits).ToArray();
            Assert.Equal(large.GetProperty("first").EnumerateArray().Select(b => b.GetInt32()), bits[..8]);
            Assert.Equal(large.GetProperty("last").EnumerateArray().Select(b => b.GetInt32()), bits[^8..]);
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            Assert.Equal(large.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }
}
