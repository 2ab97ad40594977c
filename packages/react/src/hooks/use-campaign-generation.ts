import type { CampaignRequest, CampaignResult, CampaignRunReport } from '@donutauto/core';
import { useMemo, useSyncExternalStore } from 'react';
import { useCustomerClient } from '../customers-provider';
import {
  type CampaignGenerationOptions,
  type CampaignGenerationPhase,
  type CampaignGenerationProgress,
  createCampaignGenerationSession,
} from '../stores/campaign-generation-session';
import { useInstance } from './use-instance';

/** What {@link useCampaignGeneration} returns. */
export interface UseCampaignGenerationResult {
  /** `idle`, `running`, `done`, `cancelled` or `failed`. */
  readonly phase: CampaignGenerationPhase;
  /** The run of the latest call (for `retryFailed`, or `client.listCampaigns({ runId })`). */
  readonly runId: string | undefined;
  /** Campaigns of the current call that ended so far, and the run's total. */
  readonly progress: CampaignGenerationProgress | undefined;
  /** Share of the run's campaigns this call ended, 0–1, once the total is known. */
  readonly fraction: number | undefined;
  /** The campaigns that ended, in order (the first 1,000), each with its content or error. */
  readonly results: readonly CampaignResult[];
  /** The last call's report: the whole run's counts by status. */
  readonly report: CampaignRunReport | undefined;
  /** Why the call failed: `invalid_argument` (bad request), `not_found` (segment), `storage_failed`, … */
  readonly error: unknown;
  /**
   * Starts a run (one at a time; ignored while one runs).
   * @param request - `{ target, title, contentTypes, platforms, instructions? }`; the target is
   * `{ customerIds: [id] }` for one customer, `{ customerIds }` for a selection, `{ segmentId }` or `{ filter }`.
   */
  readonly generate: (request: CampaignRequest) => void;
  /** Generates the latest run's failed campaigns again. */
  readonly retryFailed: () => void;
  /** Stops the run: no new generator calls, running ones aborted, unfinished campaigns recorded as cancelled. */
  readonly cancel: () => void;
  /** Back to `idle` (cancels a running call). */
  readonly reset: () => void;
}

/**
 * Generates campaigns (core's `generateCampaigns`) for one customer, a selection or a segment, with
 * progress, cancel and retry of failures. The generator and run options are read on mount.
 * @param options - `generator` (e.g. `templateCampaignGenerator()`), `concurrency`, `retries`, `timeoutMs`, …
 * @returns The run's state and actions.
 * @throws `Error` outside a {@link CustomersProvider}.
 * @example
 * const campaign = useCampaignGeneration({ generator: templateCampaignGenerator({ brandName: 'Donut Corner' }) });
 * campaign.generate({ target: { customerIds: selected }, title: 'Glazed week', contentTypes: ['general'], platforms: ['email'] });
 * <progress value={campaign.fraction ?? 0} /> <button onClick={campaign.cancel}>Cancel</button>
 */
export function useCampaignGeneration(options: CampaignGenerationOptions): UseCampaignGenerationResult {
  const client = useCustomerClient();
  const session = useInstance([client], () => createCampaignGenerationSession(client, options));
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getServerSnapshot);
  return useMemo(() => {
    const { progress } = state;
    const ended = progress ? progress.completed + progress.failed + progress.cancelled : 0;
    return {
      ...state,
      fraction: progress && progress.total > 0 ? Math.min(1, ended / progress.total) : undefined,
      generate: session.generate,
      retryFailed: session.retryFailed,
      cancel: session.cancel,
      reset: session.reset,
    };
  }, [state, session]);
}
