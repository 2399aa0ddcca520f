using System.Globalization;

namespace RenderFarm.Bench.Farm;

/// <summary>CPU time of process trees, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
public static class ProcessCpu
{
    // USER_HZ, the unit of /proc's times, is 100 on every Linux ABI .NET runs on (x86-64, arm64).
    private const double TicksPerSecond = 100;

    public static bool IsAlive(int pid) => Read(pid) is { State: not 'Z' };

    /// <summary>
    /// User + system time of each root and all its descendants. Children that have exited and been reaped count in
    /// their parent's cutime/cstime, so short-lived PostgreSQL backends are not lost between two readings.
    /// </summary>
    public static TimeSpan TreeTime(IEnumerable<int> roots)
    {
        var all = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? Read(pid) : null)
            .OfType<ProcStat>()
            .ToList();
        var children = all.ToLookup(p => p.ParentPid);
        var byPid = all.ToDictionary(p => p.Pid);

        var ticks = 0L;
        var pending = new Stack<int>(roots);
        var seen = new HashSet<int>();
        while (pending.TryPop(out var pid))
        {
            if (!seen.Add(pid) || !byPid.TryGetValue(pid, out var stat))
            {
                continue;
            }

            ticks += stat.Ticks;
            foreach (var child in children[pid])
            {
                pending.Push(child.Pid);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // exited meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces; fields are counted after its last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcStat(pid, fields[0][0], (int)Field(4), Field(14) + Field(15) + Field(16) + Field(17));
    }

    /// <param name="Ticks">utime + stime + cutime + cstime.</param>
    private sealed record ProcStat(int Pid, char State, int ParentPid, long Ticks);
}
