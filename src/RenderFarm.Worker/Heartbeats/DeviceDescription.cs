using System.Diagnostics;
using System.Globalization;

namespace RenderFarm.Worker.Heartbeats;

/// <summary>What a worker says about its device besides its name: the class and how much memory it has.</summary>
public sealed record DeviceDescription(string DeviceClass, long? MemoryBytes)
{
    /// <param name="device">The engine's device, such as <c>cpu</c> or <c>cuda:0</c>.</param>
    /// <param name="configuredMemory">The operator's figure, which wins over what the device says.</param>
    public static DeviceDescription Of(string device, long? configuredMemory)
    {
        ArgumentNullException.ThrowIfNull(device);
        var parts = device.Split(':', 2);
        var deviceClass = parts[0].Trim().ToLowerInvariant() is { Length: > 0 } c ? c : "unknown";
        return new DeviceDescription(deviceClass, configuredMemory ?? deviceClass switch
        {
            "cpu" => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            "cuda" or "tensorrt" => NvidiaMemory(parts.ElementAtOrDefault(1) ?? "0"),
            _ => null,
        });
    }

    /// <summary>ONNX Runtime does not say how much memory a GPU has; the driver's tool does, once at start.</summary>
    private static long? NvidiaMemory(string index)
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", ["--query-gpu=memory.total", "--format=csv,noheader,nounits", "-i", index])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(5000) || process.ExitCode != 0)
            {
                return null;
            }

            return long.TryParse(output.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib) ? mib << 20 : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no driver tool on this machine
        }
    }
}
