// Jobs in flight, moving: each row is subscribed through the Gateway's relay (/dashboard/live, the Notifier's protocol),
// and the page is fetched again every few seconds to add the jobs that started since. A job that ends shows its final
// state for a while, then leaves the table.
(() => {
    const table = document.getElementById("in-flight");
    if (!table) return;
    const body = table.querySelector("tbody");
    const state = document.getElementById("live-state");
    const refreshMilliseconds = 3000;
    const keepEndedMilliseconds = 30000;
    let socket = null;
    let retryDelay = 500;

    const rowOf = (jobId) => body.querySelector(`tr[data-job-id="${jobId}"]`);

    function counted() {
        const rows = body.querySelectorAll("tr[data-job-id]:not(.ended)").length;
        document.getElementById("in-flight-count").textContent = rows;
        document.getElementById("in-flight-empty").hidden = body.querySelectorAll("tr[data-job-id]").length > 0;
    }

    function subscribe(jobId) {
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "subscribe", jobId }));
    }

    function show(row, data) {
        if (data.status) {
            row.dataset.status = data.status;
            const badge = row.querySelector(".badge");
            badge.textContent = data.status;
            badge.className = "badge status-" + data.status;
        }
        const progress = data.progress;
        if (progress) {
            row.querySelector(".bar span").style.width = progress.percent + "%";
            row.querySelector(".percent-value").textContent = progress.percent;
            if (progress.stage) row.querySelector(".stage").textContent = progress.stage;
            if (progress.message) row.querySelector(".message").textContent = progress.message;
        }
        if (["completed", "failed", "cancelled"].includes(data.status) && !row.classList.contains("ended")) {
            row.classList.add("ended");
            setTimeout(() => { row.remove(); counted(); }, keepEndedMilliseconds);
        }
        counted();
    }

    async function addNewRows() {
        const response = await fetch(location.pathname, { credentials: "same-origin" });
        if (!response.ok) return;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = [...page.querySelectorAll("#in-flight tbody tr[data-job-id]")].filter(r => !rowOf(r.dataset.jobId));
        for (const row of fresh.reverse()) {
            body.prepend(document.adoptNode(row));
            subscribe(row.dataset.jobId);
        }
        counted();
    }

    function connect() {
        socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/dashboard/live");
        socket.onopen = () => {
            retryDelay = 500;
            state.textContent = "live";
            body.querySelectorAll("tr[data-job-id]").forEach(r => subscribe(r.dataset.jobId));
        };
        socket.onmessage = (event) => {
            const message = JSON.parse(event.data);
            const row = message.jobId && rowOf(message.jobId);
            if (!row || !message.data) return;
            if (typeof message.data.sequence === "number") {
                const seen = Number(row.dataset.sequence || 0);
                if (message.data.sequence <= seen && message.type !== "job_update") return;
                row.dataset.sequence = Math.max(seen, message.data.sequence);
            }
            show(row, message.data);
        };
        socket.onclose = () => {
            state.textContent = "reconnecting…";
            setTimeout(connect, retryDelay);
            retryDelay = Math.min(retryDelay * 2, 10000);
        };
    }

    connect();
    setInterval(() => addNewRows().catch(() => { state.textContent = "refresh failed, retrying"; }), refreshMilliseconds);
})();
