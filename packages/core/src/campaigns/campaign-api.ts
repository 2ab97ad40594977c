import { AbortedError } from '../errors/customer-error';
import { type CampaignRunOptions, type CampaignRunReport, parseRunOptions } from './campaign-options';
import { type CampaignClientContext, getCampaignRunIn } from './campaign-reads';
import { type CampaignRequest, parseCampaignRequest } from './campaign-request';
import { runCampaigns } from './campaign-runner';
import { openTarget } from './campaign-target';

/**
 * Starts a run: validates the request, stores the run, creates one campaign record per customer,
 * content type and platform, and generates them (see `client.generateCampaigns`).
 * @throws `invalid_argument` (request or options, naming the path), `aborted` when the signal was
 * aborted before the run was created, `storage_failed`.
 */
export async function generateCampaignsIn(
  context: CampaignClientContext,
  request: CampaignRequest,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const resolved = parseRunOptions(options);
  const canonical = parseCampaignRequest(request, resolved.maxCustomers);
  const target = await openTarget(context, canonical.target, resolved.maxCustomers);
  if (resolved.signal?.aborted) throw new AbortedError('The campaign run was aborted before it started');
  const now = resolved.timers.now();
  const run = {
    id: context.generateId(now),
    organizationId: context.organizationId,
    request: canonical,
    preparedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await context.adapter.insertCampaignRun(context.organizationId, run);
  return runCampaigns(
    context,
    {
      run,
      statuses: ['queued', 'in_progress'],
      total: 0,
      prepare: () => target.batches(),
      waitForOthers: true,
    },
    resolved,
  );
}

/**
 * Continues a run whose process died: finishes creating its records if that was interrupted, then
 * generates every record left `queued`, and takes over `in_progress` ones once their lease expired.
 * @throws `not_found` for an unknown run; `invalid_argument`; `storage_failed`.
 */
export async function resumeCampaignRunIn(
  context: CampaignClientContext,
  runId: string,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const resolved = parseRunOptions(options);
  const run = await getCampaignRunIn(context, runId);
  const target =
    run.preparedAt === null
      ? await openTarget(context, run.request.target, resolved.maxCustomers, false)
      : undefined;
  return runCampaigns(
    context,
    {
      run,
      statuses: ['queued', 'in_progress'],
      total: run.counts.total,
      ...(target ? { prepare: () => target.batches() } : {}),
      waitForOthers: true,
    },
    resolved,
  );
}

/**
 * Generates again the run's `failed` campaigns, and only those.
 * @throws `not_found` for an unknown run; `invalid_argument`; `storage_failed`.
 */
export async function retryFailedIn(
  context: CampaignClientContext,
  runId: string,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const resolved = parseRunOptions(options);
  const run = await getCampaignRunIn(context, runId);
  return runCampaigns(
    context,
    { run, statuses: ['failed'], total: run.counts.total, waitForOthers: false },
    resolved,
  );
}
