using System.Buffers;

namespace RenderFarm.Core.Jobs;

/// <summary>
/// The rule for control characters in any text a client sends. PostgreSQL's <c>text</c> cannot hold U+0000 at all
/// (the insert fails, which would be a 500), so it must be refused before anything is written. The other C0 controls
/// are storable but invisible, cannot be typed in the web form, and are not allowed in the PNG text chunk the
/// parameters are embedded in; they are refused too. Tab, line feed and carriage return are ordinary text.
/// </summary>
public static class ControlCharacters
{
    private static readonly SearchValues<char> Refused = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c).Where(c => c is not ('\t' or '\n' or '\r'))]);

    /// <returns>Null when <paramref name="value"/> is acceptable (null is), else a message naming the first refused character.</returns>
    public static string? Check(string? value)
    {
        var at = value is null ? -1 : value.AsSpan().IndexOfAny(Refused);
        if (at < 0)
        {
            return null;
        }

        var character = $"U+{(int)value![at]:X4}";
        return value[at] == '\0'
            ? $"Contains the NUL character ({character}) at position {at}; it cannot be stored."
            : $"Contains the control character {character} at position {at}; only tab and line breaks are allowed.";
    }
}
