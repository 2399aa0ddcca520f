using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Tests.Shapes;

/// <summary>What <see cref="ShapeAnalyser"/> measured in one image.</summary>
/// <param name="Colour">The palette colour nearest to the foreground's core pixels.</param>
/// <param name="Shape">circle, square or triangle.</param>
/// <param name="Position">left, right, top, bottom or centre (from the foreground's centroid).</param>
/// <param name="Fill">Foreground pixels / bounding-box area (square ≈ 1, circle ≈ π/4, triangle ≈ ½).</param>
/// <param name="Asymmetry">Fill of the bounding box's top half / fill of its bottom half (upright triangle ≈ ⅓).</param>
internal sealed record ShapeMeasurement(string Colour, string Shape, string Position, double Fill, double Asymmetry);

/// <summary>
/// Measures a rendered tiny-shapes image (the same algorithm as tools/train-shapes/analyse.py): the background is the
/// median of a two-pixel border; the foreground is every pixel farther from it than half the 99.5th percentile of
/// that distance; colour = nearest palette entry to the mean of the foreground's core (above ¾ of the percentile);
/// position from the centroid; shape from the bounding box's fill ratio and its top/bottom asymmetry.
/// </summary>
internal static class ShapeAnalyser
{
    public static readonly IReadOnlyDictionary<string, (int R, int G, int B)> Palette = new Dictionary<string, (int, int, int)>
    {
        ["red"] = (220, 40, 40),
        ["green"] = (40, 170, 60),
        ["blue"] = (40, 80, 220),
        ["yellow"] = (240, 210, 40),
        ["purple"] = (150, 50, 200),
    };

    /// <summary>The measurement, or null when the image has no foreground worth the name.</summary>
    public static ShapeMeasurement? Analyse(GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height;
        var rgb = image.Rgb;
        var background = BorderMedian(rgb, w, h);
        var dist = new double[w * h];
        for (var i = 0; i < dist.Length; i++)
        {
            double dr = rgb[3 * i] - background[0], dg = rgb[(3 * i) + 1] - background[1], db = rgb[(3 * i) + 2] - background[2];
            dist[i] = Math.Sqrt((dr * dr) + (dg * dg) + (db * db));
        }

        var peak = Percentile(dist, 99.5);
        if (peak < 40)
        {
            return null;
        }

        double sumX = 0, sumY = 0, coreR = 0, coreG = 0, coreB = 0;
        int count = 0, core = 0, x0 = w, x1 = -1, y0 = h, y1 = -1;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                if (dist[i] <= 0.5 * peak)
                {
                    continue;
                }

                count++;
                sumX += x;
                sumY += y;
                (x0, x1, y0, y1) = (Math.Min(x0, x), Math.Max(x1, x), Math.Min(y0, y), Math.Max(y1, y));
                if (dist[i] > 0.75 * peak)
                {
                    core++;
                    coreR += rgb[3 * i];
                    coreG += rgb[(3 * i) + 1];
                    coreB += rgb[(3 * i) + 2];
                }
            }
        }

        if (count < 0.003 * w * h || core == 0)
        {
            return null;
        }

        var colour = Palette.MinBy(p => Square(p.Value.R - (coreR / core)) + Square(p.Value.G - (coreG / core)) + Square(p.Value.B - (coreB / core))).Key;

        var cx = (((sumX / count) + 0.5) / w) - 0.5;
        var cy = (((sumY / count) + 0.5) / h) - 0.5;
        var position = Math.Max(Math.Abs(cx), Math.Abs(cy)) < 0.11 ? "centre"
            : Math.Abs(cx) >= Math.Abs(cy) ? (cx < 0 ? "left" : "right")
            : (cy < 0 ? "top" : "bottom");

        int boxW = x1 - x0 + 1, boxH = y1 - y0 + 1, mid = boxH / 2;
        int top = 0, bottom = 0;
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                if (dist[(y * w) + x] > 0.5 * peak)
                {
                    if (y - y0 < mid)
                    {
                        top++;
                    }
                    else
                    {
                        bottom++;
                    }
                }
            }
        }

        var fill = (double)(top + bottom) / (boxW * boxH);
        var topFill = mid > 0 ? (double)top / (mid * boxW) : 0;
        var bottomFill = (double)bottom / ((boxH - mid) * boxW);
        var asymmetry = topFill / Math.Max(bottomFill, 1e-6);
        var shape = asymmetry < 0.7 ? "triangle" : fill > 0.88 ? "square" : "circle";
        return new ShapeMeasurement(colour, shape, position, fill, asymmetry);
    }

    private static double Square(double v) => v * v;

    private static double[] BorderMedian(byte[] rgb, int w, int h)
    {
        var channels = new[] { new List<double>(), new List<double>(), new List<double>() };
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                if (x < 2 || y < 2 || x >= w - 2 || y >= h - 2)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        channels[c].Add(rgb[(3 * ((y * w) + x)) + c]);
                    }
                }
            }
        }

        return [.. channels.Select(c => Percentile([.. c], 50))];
    }

    /// <summary>Linear-interpolated percentile (numpy's default method).</summary>
    private static double Percentile(double[] values, double p)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var rank = p / 100 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((rank - lo) * (sorted[hi] - sorted[lo]));
    }
}
