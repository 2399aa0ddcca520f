namespace RenderFarm.Inference.Noise;

/// <summary>
/// torch's <c>normal_fill_16_AVX2</c>, one lane at a time: Box-Muller on 8 pairs of uniforms with the Cephes-based
/// <c>log256_ps</c> and <c>sincos256_ps</c> of avx_mathfun.h (zlib licence, after Julien Pommier's sse_mathfun). Every
/// step is the same float32 operation, in the same order, as the vector code, so the results are bit-identical;
/// <see cref="MathF"/> would differ in the last bits. torch's AVX2 kernels are built with -mfma, and GCC compiles the
/// intrinsics as plain vector arithmetic that it contracts (-ffp-contract=fast, its default): every multiply whose
/// only use is an add or subtract becomes a fused multiply-add (of <c>a*b + c*d</c>, the first multiply). Those are
/// the <see cref="Fma"/> calls below; TorchNoiseTests checks the result against torch bit for bit.
/// </summary>
internal static class AvxMathfun
{
    private const float TwoPi = (float)(2.0f * Math.PI);
    private const float SqrtHalf = (float)0.707106781186547524;
    private const float LogP0 = (float)7.0376836292E-2;
    private const float LogP1 = (float)-1.1514610310E-1;
    private const float LogP2 = (float)1.1676998740E-1;
    private const float LogP3 = (float)-1.2420140846E-1;
    private const float LogP4 = (float)+1.4249322787E-1;
    private const float LogP5 = (float)-1.6668057665E-1;
    private const float LogP6 = (float)+2.0000714765E-1;
    private const float LogP7 = (float)-2.4999993993E-1;
    private const float LogP8 = (float)+3.3333331174E-1;
    private const float LogQ1 = (float)-2.12194440e-4;
    private const float LogQ2 = 0.693359375f;
    private const float MinusDp1 = -0.78515625f;
    private const float MinusDp2 = -2.4187564849853515625e-4f;
    private const float MinusDp3 = (float)-3.77489497744594108e-8;
    private const float SinP0 = (float)-1.9515295891E-4;
    private const float SinP1 = (float)8.3321608736E-3;
    private const float SinP2 = (float)-1.6666654611E-1;
    private const float CosP0 = (float)2.443315711809948E-005;
    private const float CosP1 = (float)-1.388731625493765E-003;
    private const float CosP2 = (float)4.166664568298827E-002;
    private const float FourOverPi = (float)1.27323954473516;

    /// <summary>Turns 16 uniforms in [0, 1) into 16 standard normals in place (mean 0, std 1).</summary>
    public static void BoxMuller16(Span<float> data)
    {
        for (var j = 0; j < 8; j++)
        {
            var u1 = 1.0f - data[j];
            var u2 = data[j + 8];
            var radius = MathF.Sqrt(-2.0f * Log(u1));
            var theta = TwoPi * u2;
            SinCos(theta, out var sin, out var cos);
            // fmadd(n, std = 1, mean = 0) is n rounded once, which n * 1 + 0 also is.
            data[j] = (radius * cos * 1.0f) + 0.0f;
            data[j + 8] = (radius * sin * 1.0f) + 0.0f;
        }
    }

    /// <summary>log256_ps for one lane: NaN for x &lt;= 0, denormals cut off.</summary>
    public static float Log(float x)
    {
        var invalid = x <= 0;
        x = MathF.Max(x, BitConverter.Int32BitsToSingle(0x00800000));
        var bits = BitConverter.SingleToInt32Bits(x);
        var exponent = (int)((uint)bits >> 23);
        x = BitConverter.Int32BitsToSingle((bits & ~0x7f800000) | BitConverter.SingleToInt32Bits(0.5f));
        var e = (float)(exponent - 0x7f);
        e += 1.0f;

        var below = x < SqrtHalf;
        var tmp = below ? x : 0.0f;
        x -= 1.0f;
        e -= below ? 1.0f : 0.0f;
        x += tmp;

        var z = x * x;
        var y = LogP0;
        y = Fma(y, x, LogP1);
        y = Fma(y, x, LogP2);
        y = Fma(y, x, LogP3);
        y = Fma(y, x, LogP4);
        y = Fma(y, x, LogP5);
        y = Fma(y, x, LogP6);
        y = Fma(y, x, LogP7);
        y = Fma(y, x, LogP8);
        y *= x;
        y = Fma(y, z, e * LogQ1);
        y = Fma(-z, 0.5f, y);
        x += y;
        x = Fma(e, LogQ2, x);
        return invalid ? float.NaN : x;
    }

    /// <summary>sincos256_ps for one lane.</summary>
    public static void SinCos(float x, out float sin, out float cos)
    {
        var signSin = BitConverter.SingleToInt32Bits(x) & unchecked((int)0x80000000);
        x = MathF.Abs(x);
        var y = x * FourOverPi;
        var j = (int)y;
        j = (j + 1) & ~1;
        y = j;
        var swapSignSin = (j & 4) << 29;
        var polyMask = (j & 2) == 0 ? -1 : 0;

        x = Fma(y, MinusDp1, x);
        x = Fma(y, MinusDp2, x);
        x = Fma(y, MinusDp3, x);

        var signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSignSin;

        var z = x * x;
        var yc = CosP0;
        yc = Fma(yc, z, CosP1);
        yc = Fma(yc, z, CosP2);
        yc *= z;
        yc = Fma(yc, z, -(z * 0.5f));
        yc += 1.0f;

        var ys = SinP0;
        ys = Fma(ys, z, SinP1);
        ys = Fma(ys, z, SinP2);
        ys *= z;
        ys = Fma(ys, x, x);

        var sin2 = And(polyMask, ys);
        var sin1 = And(~polyMask, yc);
        ys -= sin2;
        yc -= sin1;
        var s = sin1 + sin2;
        var co = yc + ys;
        sin = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(s) ^ signSin);
        cos = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(co) ^ signCos);
    }

    private static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    private static float And(int mask, float value) => BitConverter.Int32BitsToSingle(mask & BitConverter.SingleToInt32Bits(value));
}
