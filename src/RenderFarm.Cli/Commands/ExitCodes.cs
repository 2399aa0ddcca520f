namespace RenderFarm.Cli.Commands;

/// <summary>What <c>renderfarm</c> exits with, for scripts (listed in the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The job finished, but not <c>completed</c>: some or all images failed, or it was cancelled.</summary>
    public const int JobNotCompleted = 1;

    /// <summary>Bad options or input: the farm refused the job (each field is named), or the command line was wrong.</summary>
    public const int BadInput = 2;

    /// <summary>The farm could not be reached, or answered with an error of its own.</summary>
    public const int FarmError = 3;

    /// <summary>No such job, or its status does not allow the action (cancelling a finished job, retrying a completed one).</summary>
    public const int Refused = 4;
}
