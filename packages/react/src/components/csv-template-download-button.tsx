import type { ReactNode } from 'react';
import { type UseCsvTemplateOptions, useCsvTemplate } from '../hooks/use-csv-template';

/** Props of {@link CsvTemplateDownloadButton}. */
export interface CsvTemplateDownloadButtonProps extends UseCsvTemplateOptions {
  /** Class of the `<button>`. */
  readonly className?: string;
  /** The button's content. @defaultValue 'Download the CSV template' */
  readonly children?: ReactNode;
}

/**
 * A button that downloads the customer CSV template, through {@link useCsvTemplate}.
 * @param props - Class name, content, file name and template options.
 * @returns The button.
 * @example
 * <CsvTemplateDownloadButton fileName="donut-customers.csv" />
 */
export function CsvTemplateDownloadButton(props: CsvTemplateDownloadButtonProps): ReactNode {
  const { className, children, ...options } = props;
  const { download } = useCsvTemplate(options);
  return (
    <button type="button" className={className} onClick={download}>
      {children ?? 'Download the CSV template'}
    </button>
  );
}
