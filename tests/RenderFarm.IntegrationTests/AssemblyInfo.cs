// The farms share one PostgreSQL, RabbitMQ and S3 server and a 2-core machine: one farm at a time keeps timings sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
