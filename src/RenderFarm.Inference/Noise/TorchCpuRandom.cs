namespace RenderFarm.Inference.Noise;

/// <summary>
/// <c>torch.randn(shape, generator=torch.Generator("cpu").manual_seed(seed))</c> in float32, bit for bit, so a seed
/// renders the image diffusers, ComfyUI or A1111 (with CPU noise) render from it. torch's CPU generator is an mt19937
/// seeded with the seed's low 32 bits. A float tensor of at least 16 values is filled with uniforms
/// (24 random bits each), then turned into normals 16 at a time by Box-Muller (the first 8 as u1, the next 8 as u2);
/// when the size is not a multiple of 16 the last 16 positions get fresh uniforms and are transformed again. On
/// x86-64 torch does that with its AVX2 kernel (AVX-512 machines run it too) whose log, sin and cos are the Cephes
/// polynomials of avx_mathfun.h, so they are reproduced here operation by operation in float32. Smaller tensors
/// take torch's scalar path: double-precision Box-Muller from two 53-bit uniforms, the sine kept for the next value.
/// </summary>
internal sealed class TorchCpuRandom : IGaussianSource
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _next;
    private int _left;
    private double? _nextDoubleNormal;

    public TorchCpuRandom(long seed)
    {
        _state[0] = unchecked((uint)seed);
        for (var j = 1; j < N; j++)
        {
            _state[j] = unchecked((1812433253u * (_state[j - 1] ^ (_state[j - 1] >> 30))) + (uint)j);
        }

        _left = 1;
        _next = 0;
    }

    /// <summary>One <c>torch.randn</c> call of <paramref name="destination"/>'s size (a contiguous float32 tensor).</summary>
    public void Fill(Span<float> destination)
    {
        var size = destination.Length;
        if (size >= 16)
        {
            NormalFill(destination);
            return;
        }

        for (var i = 0; i < size; i++)
        {
            destination[i] = (float)NextDoubleNormal();
        }
    }

    /// <summary>mt19937's next 32-bit output (at::mt19937).</summary>
    public uint NextUInt32()
    {
        if (--_left == 0)
        {
            Twist();
        }

        var y = _state[_next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        _left = N;
        _next = 0;
        for (var i = 0; i < N; i++)
        {
            var y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7fffffffu);
            _state[i] = _state[(i + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
        }
    }

    private float NextUniformFloat() => (NextUInt32() & ((1u << 24) - 1)) * (1.0f / (1 << 24));

    private double NextUniformDouble()
    {
        // random64(): the first 32-bit draw is the high half.
        ulong hi = NextUInt32(), lo = NextUInt32();
        return (((hi << 32) | lo) & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));
    }

    /// <summary>at::normal_distribution&lt;double&gt;, which caches the second value of each pair in the generator.</summary>
    private double NextDoubleNormal()
    {
        if (_nextDoubleNormal is { } cached)
        {
            _nextDoubleNormal = null;
            return cached;
        }

        var u1 = NextUniformDouble();
        var u2 = NextUniformDouble();
        var r = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
        var theta = 2.0 * Math.PI * u1;
        _nextDoubleNormal = r * Math.Sin(theta);
        return r * Math.Cos(theta);
    }

    private void NormalFill(Span<float> data)
    {
        var size = data.Length;
        for (var i = 0; i < size; i++)
        {
            data[i] = NextUniformFloat();
        }

        for (var i = 0; i + 16 <= size; i += 16)
        {
            AvxMathfun.BoxMuller16(data.Slice(i, 16));
        }

        if (size % 16 != 0)
        {
            var tail = data[(size - 16)..];
            for (var i = 0; i < 16; i++)
            {
                tail[i] = NextUniformFloat();
            }

            AvxMathfun.BoxMuller16(tail);
        }
    }
}
