import '@mantine/core/styles.css';
import './theme.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionProvider } from './session/SessionContext';

// No <style> tags at run time: the content security policy allows only the built stylesheet. Mantine's
// default theme variables are in that stylesheet already, and the console uses no responsive style props.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider forceColorScheme="light" withCssVariables={false} withGlobalClasses={false}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </MantineProvider>
  </StrictMode>,
);
