# The pushpull image: the operator (`pushpull operator`), and the producer and udp-counters sidecar the
# operator's workloads run. Node 24 LTS runs the TypeScript directly (type stripping): no build step.
# Build: docker build -t pushpull-rig:0.1.0 .
FROM node:24-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app

# Production dependencies only, from the lockfile; install scripts are not needed at run time.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY cli ./cli
COPY api ./api
COPY driver ./driver
COPY collectors ./collectors
COPY udp-counters ./udp-counters
COPY process ./process
COPY errors ./errors
COPY schedule ./schedule
COPY loadgen ./loadgen
COPY local ./local
COPY netfault ./netfault
COPY measure ./measure
COPY report ./report
COPY operator ./operator
COPY devcluster ./devcluster
COPY kube ./kube
COPY json-schema ./json-schema
COPY simulate ./simulate
COPY capacity ./capacity
COPY sweep ./sweep
COPY bench ./bench
COPY tools ./tools
COPY examples ./examples

# A numeric non-root user (the chart's pod security context runs it as 65532 too).
USER 65532:65532

ENTRYPOINT ["node", "bin/pushpull.js"]
CMD ["operator"]
