namespace RenderFarm.Core.Schedules;

/// <summary>A prompt template that cannot be expanded; the message names the problem for the person who wrote it.</summary>
public sealed class PromptTemplateException : FormatException
{
    public PromptTemplateException()
    {
    }

    public PromptTemplateException(string message)
        : base(message)
    {
    }

    public PromptTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
