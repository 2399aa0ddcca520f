namespace RenderFarm.Cli.Commands;

internal enum ScheduleAction
{
    Pause,
    Resume,
    RunNow,
    Remove,
}
