import type {
  CampaignRequest,
  CampaignResult,
  CampaignRunOptions,
  CampaignRunReport,
  SlimCustomerClient,
} from '@donutauto/core';
import { generateCampaigns, retryFailed } from '@donutauto/core/slim';
import { createExternalStore, type ExternalStore } from './external-store';

/**
 * Where a campaign generation is: `idle`, `running`, `done` (every campaign ended: see the
 * report's counts for failures), `cancelled` (stopped by `cancel`; unfinished campaigns are
 * recorded as cancelled) or `failed` (the run could not go on: see `error`).
 */
export type CampaignGenerationPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** Campaigns of the current call that ended so far. */
export interface CampaignGenerationProgress {
  /** The run. */
  readonly runId: string;
  /** The run's campaigns known so far (all once it is prepared). */
  readonly total: number;
  /** Completed by this call. */
  readonly completed: number;
  /** Failed in this call (after retries). */
  readonly failed: number;
  /** Cancelled in this call. */
  readonly cancelled: number;
}

/** Run options the hook passes on: everything but `signal` and `onProgress`, which it owns. */
export type CampaignGenerationOptions = Omit<CampaignRunOptions, 'signal' | 'onProgress'>;

/** The generation's state. */
export interface CampaignGenerationState {
  /** Where it is. */
  readonly phase: CampaignGenerationPhase;
  /** The run of the latest call (to retry its failures, or list its campaigns). */
  readonly runId: string | undefined;
  /** Progress of the current (or last) call. */
  readonly progress: CampaignGenerationProgress | undefined;
  /** The campaigns that ended, newest last, at most `maxResults` (1000) of them. */
  readonly results: readonly CampaignResult[];
  /** The last call's report. */
  readonly report: CampaignRunReport | undefined;
  /** Why the call failed (`invalid_argument`, `not_found`, `storage_failed`, …). */
  readonly error: unknown;
}

type Action =
  | { readonly type: 'start' }
  | {
      readonly type: 'progress';
      readonly progress: CampaignGenerationProgress;
      readonly results: readonly CampaignResult[];
    }
  | { readonly type: 'done'; readonly report: CampaignRunReport }
  | { readonly type: 'failed'; readonly error: unknown }
  | { readonly type: 'reset' };

const IDLE: CampaignGenerationState = {
  phase: 'idle',
  runId: undefined,
  progress: undefined,
  results: [],
  report: undefined,
  error: undefined,
};

const MAX_RESULTS = 1000;

/** A campaign generation with progress and cancel, per component. */
export interface CampaignGenerationSession extends ExternalStore<CampaignGenerationState, Action> {
  generate(request: CampaignRequest): void;
  retryFailed(): void;
  cancel(): void;
  reset(): void;
}

/**
 * Creates the session behind `useCampaignGeneration`: one run at a time, one `AbortController`
 * per call, progress accumulated from `onProgress`.
 * @param client - The organization-scoped client.
 * @param options - Generator, concurrency, retries, … (see `CampaignRunOptions`).
 * @returns The session.
 */
export function createCampaignGenerationSession(
  client: SlimCustomerClient,
  options: CampaignGenerationOptions,
): CampaignGenerationSession {
  let controller: AbortController | undefined;
  let call = 0;
  const store = createExternalStore<CampaignGenerationState, Action>(IDLE, reduce);

  const run = (start: (options: CampaignRunOptions) => Promise<CampaignRunReport>): void => {
    if (store.getSnapshot().phase === 'running') return;
    const current = new AbortController();
    controller = current;
    const ticket = ++call;
    const mine = () => ticket === call;
    store.dispatch({ type: 'start' });
    start({
      ...options,
      signal: current.signal,
      onProgress: ({ runId, total, completed, failed, cancelled, results }) => {
        if (mine())
          store.dispatch({
            type: 'progress',
            progress: { runId, total, completed, failed, cancelled },
            results,
          });
      },
    }).then(
      (report) => {
        if (mine()) store.dispatch({ type: 'done', report });
      },
      (error: unknown) => {
        if (mine()) store.dispatch({ type: 'failed', error });
      },
    );
  };

  return {
    ...store,
    generate: (request) => run((runOptions) => generateCampaigns(client, request, runOptions)),
    retryFailed() {
      const { runId, phase } = store.getSnapshot();
      if (runId !== undefined && phase !== 'running')
        run((runOptions) => retryFailed(client, runId, runOptions));
    },
    cancel: () => controller?.abort(),
    reset() {
      controller?.abort();
      call++;
      store.dispatch({ type: 'reset' });
    },
  };
}

function reduce(state: CampaignGenerationState, action: Action): CampaignGenerationState {
  switch (action.type) {
    case 'start':
      return { ...IDLE, phase: 'running', runId: state.runId };
    case 'progress': {
      const results = [...state.results, ...action.results].slice(0, MAX_RESULTS);
      return { ...state, runId: action.progress.runId, progress: action.progress, results };
    }
    case 'done':
      return {
        ...state,
        phase: action.report.aborted ? 'cancelled' : 'done',
        runId: action.report.runId,
        report: action.report,
      };
    case 'failed':
      return { ...state, phase: 'failed', error: action.error };
    case 'reset':
      return IDLE;
  }
}
