# syntax=docker/dockerfile:1
# RenderFarm GPU worker: one container (process) per GPU; no HTTP endpoint.
# Build from the repository root (linux/amd64 only: the ONNX Runtime GPU package ships linux-x64 binaries):
#   docker build -f deploy/worker.Dockerfile -t renderfarm/worker .                    # CUDA image (default target "gpu")
#   docker build -f deploy/worker.Dockerfile --target cpu -t renderfarm/worker:cpu .   # CPU-only image (dev/CI)

# Must match what Microsoft.ML.OnnxRuntime.Gpu (Directory.Packages.props) links: ORT 1.31.0's CUDA provider is built
# with CUDA 13.0 (NEEDED libcudart.so.13, libcublas.so.13, libcublasLt.so.13, libcurand.so.10) and loads cuDNN 9
# (libcudnn.so.9) at run time. A CUDA 12 image has none of the .so.13 libraries: the provider fails to load.
# CUDA 13 needs NVIDIA driver R580 (580.65.06) or newer on the host and a Turing (sm_75) or newer GPU.
ARG CUDA_IMAGE=nvidia/cuda:13.0.2-cudnn-runtime-ubuntu24.04
# Same Ubuntu release (24.04 "noble") as the CUDA image, so the copied .NET runtime matches its libc.
ARG DOTNET_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS source
WORKDIR /src
# Central build settings, package versions and analyzer settings (.editorconfig: with TreatWarningsAsErrors
# the build fails without it) first.
COPY .editorconfig Directory.Build.props Directory.Packages.props RenderFarm.sln ./
COPY src/ src/
# Drop bin/obj a developer's tree may have brought along (stale assets files and intermediates).
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +

# Microsoft.ML.OnnxRuntime.Gpu (CUDA 13 + cuDNN 9 build of ORT 1.31.0).
FROM source AS publish-gpu
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked \
    dotnet restore src/RenderFarm.Worker/RenderFarm.Worker.csproj -r linux-x64 -p:OnnxRuntimeGpu=true \
 && dotnet publish src/RenderFarm.Worker/RenderFarm.Worker.csproj --no-restore \
      -c Release -r linux-x64 --self-contained false -p:UseAppHost=false -p:OnnxRuntimeGpu=true -o /app

# Microsoft.ML.OnnxRuntime (CPU only).
FROM source AS publish-cpu
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked \
    dotnet restore src/RenderFarm.Worker/RenderFarm.Worker.csproj -r linux-x64 \
 && dotnet publish src/RenderFarm.Worker/RenderFarm.Worker.csproj --no-restore \
      -c Release -r linux-x64 --self-contained false -p:UseAppHost=false -o /app

FROM ${DOTNET_IMAGE} AS dotnet

# CPU-only worker: Inference__ExecutionProvider=cpu. The worker shares Microsoft.AspNetCore.App
# with the coordinator (through RenderFarm.Infrastructure), hence the aspnet runtime image.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS cpu
WORKDIR /app
COPY --from=publish-cpu /app ./
USER $APP_UID
ENV Inference__ExecutionProvider=cpu
ENTRYPOINT ["dotnet", "RenderFarm.Worker.dll"]

# GPU worker (default target): NVIDIA's CUDA 13 + cuDNN 9 runtime image with the ASP.NET Core
# (and .NET) 10 runtime copied in from Microsoft's noble image.
FROM ${CUDA_IMAGE} AS gpu
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3t64 zlib1g tzdata libstdc++6 libgcc-s1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1654 app \
 && useradd --uid 1654 --gid app --no-create-home --shell /usr/sbin/nologin app
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true \
    Inference__ExecutionProvider=cuda
WORKDIR /app
COPY --from=publish-gpu /app ./
USER 1654
ENTRYPOINT ["dotnet", "RenderFarm.Worker.dll"]
