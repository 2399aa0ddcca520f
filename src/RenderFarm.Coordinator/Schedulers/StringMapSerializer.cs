using System.Collections.Specialized;
using System.Text.Json;
using Quartz.Spi;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// The AdoJobStore's serializer. Quartz 3's System.Text.Json package is not on our package mirror (only its 4.x is), and
/// the binary serializer relies on BinaryFormatter, which .NET 9+ removed. The store runs with <c>useProperties</c>, so
/// job data is only ever a string-to-string map: JSON for that, and nothing else is accepted.
/// </summary>
public sealed class StringMapSerializer : IObjectSerializer
{
    public void Initialize()
    {
    }

    public byte[] Serialize<T>(T obj)
        where T : class =>
        obj is NameValueCollection map
            ? JsonSerializer.SerializeToUtf8Bytes(map.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => map[k]))
            : throw new NotSupportedException($"Only string job data is stored (useProperties); got {obj.GetType()}.");

    public T? DeSerialize<T>(byte[] data)
        where T : class
    {
        if (typeof(T) != typeof(NameValueCollection))
        {
            throw new NotSupportedException($"Only string job data is stored (useProperties); asked for {typeof(T)}.");
        }

        var map = new NameValueCollection();
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string?>>(data) ?? [])
        {
            map[key] = value;
        }

        return map as T;
    }
}
