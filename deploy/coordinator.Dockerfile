# syntax=docker/dockerfile:1
# RenderFarm coordinator (ASP.NET Core, REST API on :8080).
# Build from the repository root:
#   docker build -f deploy/coordinator.Dockerfile -t renderfarm/coordinator .

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
# Central build settings, package versions and analyzer settings (.editorconfig: with TreatWarningsAsErrors
# the build fails without it) first.
COPY .editorconfig Directory.Build.props Directory.Packages.props RenderFarm.sln ./
COPY src/ src/
# Drop bin/obj a developer's tree may have brought along (stale assets files and intermediates).
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked \
    dotnet restore src/RenderFarm.Coordinator/RenderFarm.Coordinator.csproj -a $TARGETARCH \
 && dotnet publish src/RenderFarm.Coordinator/RenderFarm.Coordinator.csproj --no-restore \
      -c Release -a $TARGETARCH --self-contained false -p:UseAppHost=false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app ./
# The image's unprivileged "app" user (UID 1654); Kestrel listens on 8080 (ASPNETCORE_HTTP_PORTS).
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "RenderFarm.Coordinator.dll"]
