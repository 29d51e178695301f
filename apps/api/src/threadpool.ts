/*
 * libuv's thread pool, sized before anything uses it (it starts on first use and keeps its size).
 * Every upload writes, fsyncs, links and sniffs its photos there; Node's default of 4 threads makes
 * them queue behind each other's fsyncs under load. UV_THREADPOOL_SIZE set outside still wins.
 */
process.env.UV_THREADPOOL_SIZE ??= '16';
