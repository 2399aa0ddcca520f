using RenderFarm.Cli;

return await CliApplication.Create().Parse(args).InvokeAsync();
