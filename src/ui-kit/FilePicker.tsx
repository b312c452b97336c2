/**
 * Drop zone and file button for choosing the image to verify. The real <input type=file> stays
 * in the tab order (visually hidden, focus shown on its label), so keyboard users can open it.
 */
import { useState } from 'preact/hooks';
import { useT } from './i18n-core.js';
import { Icon } from './icons.js';

export interface FilePickerProps {
  onFile: (file: File) => void;
  /** The name the user should pick, when it is known (a tracked download). */
  expectedName?: string;
  disabled?: boolean;
  /** id for the input (several pickers on one page need distinct ids). */
  inputId?: string;
}

export function FilePicker({ onFile, expectedName, disabled = false, inputId = 'file-input' }: FilePickerProps) {
  const t = useT();
  const [dragging, setDragging] = useState(false);
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file && !disabled) onFile(file);
  };
  return (
    <div
      class={`dropzone${dragging ? ' dropzone--over' : ''}${disabled ? ' dropzone--disabled' : ''}`}
      data-testid="dropzone"
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        take(event.dataTransfer?.files);
      }}
    >
      <Icon name="file" class="dropzone-icon" />
      <p class="dropzone-title" id={`${inputId}-title`}>
        {expectedName ? t('verify_choose_named', expectedName) : t('verify_choose')}
      </p>
      <input
        type="file"
        id={inputId}
        class="file-input"
        data-testid="file-input"
        disabled={disabled}
        aria-describedby={`${inputId}-title ${inputId}-hint`}
        onChange={(event) => {
          const input = event.currentTarget;
          take(input.files);
          input.value = ''; // picking the same file again should verify again
        }}
      />
      <label for={inputId} class="button button--primary">
        {t('verify_pick_button')}
      </label>
      <p class="muted" id={`${inputId}-hint`}>
        {t('verify_drop_hint')}
      </p>
    </div>
  );
}
