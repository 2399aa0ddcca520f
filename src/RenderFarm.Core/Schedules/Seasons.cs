namespace RenderFarm.Core.Schedules;

/// <summary>Meteorological seasons of the northern hemisphere, by whole months, so a date's season never depends on the year.</summary>
public static class Seasons
{
    public static string Of(DateTime date) => date.Month switch
    {
        12 or 1 or 2 => "winter",
        3 or 4 or 5 => "spring",
        6 or 7 or 8 => "summer",
        _ => "autumn",
    };
}
