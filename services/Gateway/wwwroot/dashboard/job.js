// Live progress of one job: the Notifier's WebSocket protocol, relayed by the Gateway at /dashboard/live so that the
// page needs no key. Events at or below the sequence the page was rendered with are already shown and are dropped.
(() => {
    const live = document.getElementById("live");
    if (!live) return;
    const jobId = live.dataset.jobId;
    let sequence = Number(live.dataset.sequence);
    const bar = document.querySelector("#progress span");
    const state = document.getElementById("live-state");
    let finished = live.dataset.final === "true";
    let retryDelay = 500;

    function show(data) {
        if (data.status) {
            const badge = document.getElementById("status");
            badge.textContent = data.status;
            badge.className = "badge status-" + data.status;
        }
        const progress = data.progress;
        if (progress) {
            bar.style.width = progress.percent + "%";
            document.getElementById("progress").setAttribute("aria-valuenow", progress.percent);
            document.getElementById("percent").textContent = progress.percent;
            if (progress.stage) document.getElementById("stage").textContent = progress.stage;
            if (progress.message) document.getElementById("message").textContent = progress.message;
        }
    }

    // Results (images, statistics, failure), the facts and the history come with the page: fetch it again and swap
    // them in, without a reload.
    async function refreshResults() {
        const response = await fetch(location.pathname, { credentials: "same-origin" });
        if (!response.ok) return;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const id of ["results", "facts", "history"]) {
            const fresh = page.getElementById(id);
            if (fresh) document.getElementById(id).replaceWith(fresh);
        }
        const actions = page.querySelector(".actions");
        if (actions) document.querySelector(".actions").replaceWith(actions);
    }

    function connect() {
        const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/dashboard/live");
        socket.onopen = () => {
            retryDelay = 500;
            state.textContent = "live";
            socket.send(JSON.stringify({ type: "subscribe", jobId }));
        };
        socket.onmessage = (event) => {
            const message = JSON.parse(event.data);
            if (message.jobId !== jobId || !message.data) return;
            if (typeof message.data.sequence === "number") {
                if (message.data.sequence <= sequence && message.type !== "job_update") return;
                sequence = Math.max(sequence, message.data.sequence);
            }
            show(message.data);
            const ended = message.type === "job_completed" || message.type === "job_error" || ["completed", "failed", "cancelled"].includes(message.data.status);
            if (ended && !finished) {
                finished = true;
                refreshResults();
            }
        };
        socket.onclose = () => {
            state.textContent = "reconnecting…";
            setTimeout(connect, retryDelay);
            retryDelay = Math.min(retryDelay * 2, 10000);
        };
    }

    connect();
})();
